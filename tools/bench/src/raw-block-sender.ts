/**
 * The raw source of the ingest benchmark, run as its own process: listens on 127.0.0.1
 * and sends the first client raw blocks (encodeRawBlock from @sluice/protocol) of records
 * of `size` bytes, as fast as the client takes them, for `seconds`; then closes the
 * connection and prints {"messages": N, "bytes": B} on stdout.
 *
 *   node --import tsx raw-block-sender.ts <size> <seconds> <records per block>
 *
 * Blocks are pre-built into one buffer of about 4 MiB (or one block, if larger), written
 * again and again.
 */
import { createServer, type AddressInfo } from 'node:net';
import { encodeRawBlock } from '@sluice/protocol';
import { pumpFor, repeatedChunk } from './pump.js';

const size = Number(process.argv[2]);
const seconds = Number(process.argv[3]);
const recordsPerBlock = Number(process.argv[4]);
const block = encodeRawBlock(Array.from({ length: recordsPerBlock }, () => Buffer.alloc(size, 0x61)));
const blocksPerChunk = Math.max(1, Math.floor((4 * 1024 * 1024) / block.length));
const chunk = blocksPerChunk === 1 ? block : Buffer.concat(Array.from({ length: blocksPerChunk }, () => block));
const recordsPerChunk = blocksPerChunk * recordsPerBlock;

const server = createServer((socket) => {
  server.close();
  socket.on('error', (err) => {
    process.stderr.write(`raw-block-sender: ${err.message}\n`);
    process.exit(1);
  });
  void pumpFor(socket, seconds, repeatedChunk(chunk, recordsPerChunk)).then((messages) => {
    process.stdout.write(`${JSON.stringify({ messages, bytes: messages * size })}\n`);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
