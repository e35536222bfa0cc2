/**
 * The bare limit for the raw source: a plain Node reader that connects to the sender and
 * parses the same raw blocks (the length prefix, then each block's record table), adding
 * up the records' lengths, with no engine around it. Prints {"messages": N, "bytes": B,
 * "seconds": S}.
 *
 *   node --import tsx raw-block-reader.ts <port>
 */
import { connect } from 'node:net';
import { LengthPrefixedFramer, rawBlockOffsets, type FrameSink } from '@sluice/protocol';

const port = Number(process.argv[2]);
const framer = new LengthPrefixedFramer();
let messages = 0;
let bytes = 0;
let started = 0;
const sink: FrameSink = {
  record: (buf, start, end) => {
    const offsets = rawBlockOffsets(buf.subarray(start, end));
    for (let i = 0; i < offsets.length; i += 2) bytes += offsets[i + 1]! - offsets[i]!;
    messages += offsets.length / 2;
  },
  fault: (f) => {
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
