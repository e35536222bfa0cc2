/**
 * The benchmark's data source, run as its own process: listens on 127.0.0.1, and sends
 * the first client that connects length-prefixed frames of `size` bytes as fast as the
 * client takes them, for `seconds`. Then it closes the connection and prints
 * {"messages": N, "bytes": B} on stdout.
 *
 *   node --import tsx frame-sender.ts <size> <seconds>
 *
 * Frames are pre-built into one large buffer written again and again, so the sender is
 * never the bottleneck.
 */
import { createServer, type AddressInfo } from 'node:net';

const size = Number(process.argv[2]);
const seconds = Number(process.argv[3]);
const frameBytes = 4 + size;
const framesPerChunk = Math.max(1, Math.floor((4 * 1024 * 1024) / frameBytes));
const chunk = Buffer.alloc(framesPerChunk * frameBytes, 0x61);
for (let i = 0; i < framesPerChunk; i++) chunk.writeUInt32BE(size, i * frameBytes);

const server = createServer((socket) => {
  server.close();
  let messages = 0;
  const deadline = Date.now() + seconds * 1000;
  const pump = (): void => {
    while (Date.now() < deadline) {
      messages += framesPerChunk;
      if (!socket.write(chunk)) {
        socket.once('drain', pump);
        return;
      }
    }
    socket.end(() => {
      process.stdout.write(`${JSON.stringify({ messages, bytes: messages * size })}\n`);
    });
  };
  socket.on('error', (err) => {
    process.stderr.write(`frame-sender: ${err.message}\n`);
    process.exit(1);
  });
  pump();
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
