import type { StreamingContext } from '../../context/streaming-context.js';
import type { DStream } from '../../dstream/dstream.js';
import { DeviceReceiver, type DeviceReceiverOptions, type DeviceRecord } from './device-receiver.js';

/**
 * The stream of the device frames read from `path` (a device, a FIFO, a Unix socket or a
 * file): ssc.receiverStream(new DeviceReceiver(...)), with maxFrameBytes defaulting to
 * the context's. Records are payload Buffers, or { seq, payload } with withSequence.
 *
 *   const frames = deviceStream(ssc, '/dev/xdma0_c2h_0');
 *   frames.count().print();
 */
export function deviceStream<WithSequence extends boolean = false>(
  ssc: StreamingContext,
  path: string,
  options: Omit<DeviceReceiverOptions<WithSequence>, 'path'> = {},
): DStream<DeviceRecord<WithSequence>> {
  return ssc.receiverStream(new DeviceReceiver<WithSequence>({ maxFrameBytes: ssc.conf.maxFrameBytes, ...options, path }));
}
