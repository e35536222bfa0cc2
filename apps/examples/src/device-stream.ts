/**
 * Device stream: counts the good frames an FPGA or smart NIC delivers per batch. The
 * device writes device frames (sync word "SLCE", sequence number, length, CRC-32, payload)
 * to a character device, a FIFO or a Unix domain socket; the device receiver finds them,
 * drops what is damaged and reports it, and stores every good frame.
 *
 * Play the device with the sender, then start the job on the same path:
 *
 *   # a FIFO: the sender creates it and waits for the job to open it
 *   npx sluice-sender device --path /tmp/sluice.fifo --rate 2000 --count 20000 --garbage 0.01 --bad-crc 0.01
 *   npx sluice submit apps/examples/src/device-stream.ts /tmp/sluice.fifo
 *
 *   # a Unix socket: the sender listens, the job connects
 *   npx sluice-sender device --mode unix --path /tmp/sluice.sock --rate 2000 --count 20000
 *   npx sluice submit apps/examples/src/device-stream.ts /tmp/sluice.sock
 *
 * Each batch prints its count of good frames; faults (garbage, bad CRCs, sequence gaps,
 * a truncated last frame) appear in the driver's log with their running totals. When a
 * FIFO's writer finishes, the job keeps waiting for the next one: run the sender again.
 */
import { deviceStream, type StreamingContext } from '@sluice/streaming';

export default function deviceStreamExample(ssc: StreamingContext, args: string[]): void {
  const path = args[0];
  if (!path) throw new Error('usage: device-stream.ts <device | FIFO | unix socket path>');
  deviceStream(ssc, path).count().print();
}
