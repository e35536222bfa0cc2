import { createServer, type AddressInfo } from 'node:net';

const LABELS = ['tabby, tabby cat', 'golden retriever', 'banana', 'sports car, sport car', 'pug, pug-dog', 'hourglass'];

/**
 * A TCP server on 127.0.0.1 that sends a few classification results (JSON lines, as
 * sluice-classify writes them) every 100 ms to whoever connects. Returns its port.
 */
export async function startDemoResultServer(): Promise<number> {
  const server = createServer((socket) => {
    let i = 0;
    const timer = setInterval(() => {
      const n = i++;
      const line =
        n % 7 === 6
          ? { name: `img-${n}.jpg`, ok: false, kind: 'decode', error: 'not an image' }
          : { name: `img-${n}.jpg`, ok: true, top: [{ label: LABELS[n % LABELS.length]!, score: 0.9 }] };
      socket.write(`${JSON.stringify(line)}\n`);
    }, 100);
    socket.on('close', () => clearInterval(timer));
    socket.on('error', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return (server.address() as AddressInfo).port;
}
