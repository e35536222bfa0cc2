import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { encodeImageFrame } from '@sluice/protocol';
import type { BenchImage } from './image-set.js';

/**
 * The engine's image source in the benchmark: a TCP server (the receiver connects to it,
 * as to sluice-sender) that sends image frames when told, so the benchmark can warm the
 * executors up first and then time a separate, measured set of images.
 */
export class FrameServer {
  private socket: Socket | null = null;
  private readonly connected: Promise<Socket>;

  private constructor(private readonly server: Server) {
    this.connected = new Promise((resolve) =>
      server.on('connection', (socket) => {
        socket.on('error', () => {});
        this.socket = socket;
        resolve(socket);
      }),
    );
  }

  static async start(): Promise<FrameServer> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new FrameServer(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /**
   * Sends the images as frames named by `nameOf`: the first `burst` at once, the rest at
   * `rate` per second after them (0: as fast as the receiver reads).
   */
  async send(images: BenchImage[], nameOf: (image: BenchImage, i: number) => string, rate: number, burst = 0): Promise<void> {
    const socket = await this.connected;
    const started = performance.now();
    for (let i = 0; i < images.length; i++) {
      if (rate > 0 && i >= burst) {
        const due = started + ((i - burst + 1) * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      }
      if (!socket.write(encodeImageFrame(nameOf(images[i]!, i), images[i]!.bytes))) await once(socket, 'drain');
    }
  }

  close(): void {
    this.socket?.destroy();
    this.server.close();
  }
}
