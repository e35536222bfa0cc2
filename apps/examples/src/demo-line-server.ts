import { createServer, type AddressInfo } from 'node:net';

/**
 * A TCP server on 127.0.0.1 that sends every client line `lineAt(0)`, `lineAt(1)`, ...
 * one every 100 ms (like `nc -lk` with someone typing), until the client goes. It does
 * not keep the process alive. Returns its port.
 */
export async function startDemoLineServer(lineAt: (n: number) => string): Promise<number> {
  const server = createServer((socket) => {
    let n = 0;
    const timer = setInterval(() => socket.write(`${lineAt(n++)}\n`), 100);
    socket.on('close', () => clearInterval(timer));
    socket.on('error', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return (server.address() as AddressInfo).port;
}
