/**
 * The device source of the ingest benchmark, run as its own process: plays a device that
 * writes device frames with `size`-byte payloads as fast as the reader takes them, for
 * `seconds`, to a Unix socket it listens on (the first client) or to a FIFO it creates.
 * Prints {"ready": 1} once a reader can open `path`, then {"messages": N, "bytes": B}
 * when everything is written and the stream closed.
 *
 *   node --import tsx device-frame-sender.ts <size> <seconds> unix|fifo <path>
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import type { Writable } from 'node:stream';
import { DeviceChunks } from './device-chunks.js';
import { pumpFor } from './pump.js';

const size = Number(process.argv[2]);
const seconds = Number(process.argv[3]);
const transport = process.argv[4];
const path = process.argv[5];
if (!path || (transport !== 'unix' && transport !== 'fifo')) {
  process.stderr.write('usage: device-frame-sender.ts <size> <seconds> unix|fifo <path>\n');
  process.exit(2);
}
const chunks = new DeviceChunks(size);

function send(out: Writable): void {
  out.on('error', (err) => {
    process.stderr.write(`device-frame-sender: ${err.message}\n`);
    process.exit(1);
  });
  void pumpFor(out, seconds, chunks).then((messages) => {
    process.stdout.write(`${JSON.stringify({ messages, bytes: messages * size })}\n`);
  });
}

if (transport === 'unix') {
  const server = createServer((socket) => {
    server.close();
    send(socket);
  });
  server.listen(path, () => process.stdout.write(`${JSON.stringify({ ready: 1 })}\n`));
} else {
  execFileSync('mkfifo', [path]);
  process.stdout.write(`${JSON.stringify({ ready: 1 })}\n`);
  // Opening a FIFO for writing waits for a reader.
  const fifo = createWriteStream(path);
  fifo.once('open', () => send(fifo));
}
