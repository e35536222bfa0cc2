import { createServer, type AddressInfo } from 'node:net';

const LINES = [
  'the quick brown fox jumps over the lazy dog',
  'a stream is a sequence of batches and a batch is a dataset',
  'to be or not to be that is the question',
  'every block becomes a partition and every partition a task',
];

/**
 * A TCP server on 127.0.0.1 that sends a few lines of text every 100 ms to whoever
 * connects (like `nc -lk` with someone typing). Returns its port.
 */
export async function startDemoTextServer(): Promise<number> {
  const server = createServer((socket) => {
    let i = 0;
    const timer = setInterval(() => {
      socket.write(`${LINES[i++ % LINES.length]}\n`);
    }, 100);
    socket.on('close', () => clearInterval(timer));
    socket.on('error', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return (server.address() as AddressInfo).port;
}
