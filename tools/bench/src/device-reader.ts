/**
 * The bare limit for the device source: a plain Node reader that opens the same Unix
 * socket or FIFO and parses the same device frames with DeviceFramer (sync word, header,
 * CRC-32 of every payload), adding up the payloads' lengths, with no engine around it.
 * Prints {"messages": N, "bytes": B, "seconds": S}, timed from the first byte.
 *
 *   node --import tsx device-reader.ts unix|fifo <path>
 */
import { constants, openSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { DeviceFramer, type FrameSink } from '@sluice/protocol';

const transport = process.argv[2];
const path = process.argv[3]!;
const framer = new DeviceFramer();
let messages = 0;
let bytes = 0;
let started = 0;
const sink: FrameSink = {
  record: (_buf, start, end) => {
    messages++;
    bytes += end - start;
  },
  fault: (f) => {
    throw new Error(`${f.kind}: ${f.message}`);
  },
};
// The FIFO is opened as the device receiver opens it: without blocking, read through a pipe handle.
const input =
  transport === 'fifo'
    ? new Socket({ fd: openSync(path, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false })
    : connect({ path });
input.on('data', (chunk: Buffer) => {
  if (started === 0) started = performance.now();
  framer.push(chunk, sink);
});
input.on('end', () => {
  framer.end(sink);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ messages, bytes, seconds })}\n`);
});
