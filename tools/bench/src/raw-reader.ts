/**
 * The bare limit: a plain Node reader that connects to the sender and parses the same
 * frames (read the length, slice the payload, add its length), with no engine around it.
 * Prints {"messages": N, "bytes": B, "seconds": S}.
 *
 *   node --import tsx raw-reader.ts <port>
 */
import { connect } from 'node:net';
import { LengthPrefixedFramer } from '@sluice/protocol';

const port = Number(process.argv[2]);
const framer = new LengthPrefixedFramer();
let messages = 0;
let bytes = 0;
let started = 0;
const sink = {
  record: (buf: Buffer, start: number, end: number) => {
    const payload = buf.subarray(start, end);
    messages++;
    bytes += payload.length;
  },
  fault: (f: { message: string }) => {
    throw new Error(f.message);
  },
};
const socket = connect({ host: '127.0.0.1', port });
socket.on('connect', () => (started = performance.now()));
socket.on('data', (chunk: Buffer) => framer.push(chunk, sink));
socket.on('end', () => {
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ messages, bytes, seconds })}\n`);
});
