import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { RecordCycle } from './records.js';

/** How often the sender tops up what it has sent to what the rate says is due. */
const TICK_MS = 5;

export interface RateSenderStats {
  /** Records written to sockets. */
  sent: number;
  /** Records the rate asked for up to now, counted from the first connection. */
  due: number;
}

/**
 * A TCP server (like `nc -lk`) that sends records at a fixed rate to every client, the
 * way the throttled sources of stream benchmarks do. The rate is kept against absolute
 * time: a late tick sends what is due, so timer jitter does not lower the rate. When a
 * client does not read (its socket buffer is full) the sender waits for it to drain and
 * falls behind: `stats().due - stats().sent` shows by how much.
 */
export class RateSender {
  private readonly server: Server;
  private readonly clients = new Set<Socket>();
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private position = 0;
  private sent = 0;
  /** When the first client connected (epoch ms); 0 until then. */
  connectedAt = 0;
  private blocked = false;

  constructor(
    private readonly records: RecordCycle,
    private ratePerSecond: number,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  async listen(host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, resolve);
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Sends at `rate` from now on. */
  setRate(rate: number): void {
    if (this.startedAt !== 0) {
      this.sent = 0;
      this.startedAt = performance.now();
    }
    this.ratePerSecond = rate;
  }

  get rate(): number {
    return this.ratePerSecond;
  }

  /** Records sent since the last rate change (or the first connection), and records due by the rate. */
  stats(): RateSenderStats {
    const due = this.startedAt === 0 ? 0 : Math.floor(((performance.now() - this.startedAt) / 1000) * this.ratePerSecond);
    return { sent: this.sent, due };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const c of this.clients) c.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('close', () => this.clients.delete(socket));
    this.clients.add(socket);
    if (this.timer) return;
    this.connectedAt = Date.now();
    this.startedAt = performance.now();
    this.timer = setInterval(() => this.topUp(), TICK_MS);
  }

  private topUp(): void {
    if (this.blocked || this.clients.size === 0) return;
    const owed = Math.min(this.stats().due - this.sent, this.records.count);
    if (owed <= 0) return;
    const chunks = this.take(owed);
    this.sent += owed;
    for (const socket of this.clients) {
      let ok = true;
      for (const chunk of chunks) ok = socket.write(chunk) && ok;
      if (!ok) {
        this.blocked = true;
        socket.once('drain', () => (this.blocked = false));
        socket.once('close', () => (this.blocked = false));
      }
    }
  }

  /** The next n records of the cycle, as one or more slices of its buffer. */
  private take(n: number): Buffer[] {
    const { offsets, bytes, count } = this.records;
    const out: Buffer[] = [];
    while (n > 0) {
      const end = Math.min(this.position + n, count);
      out.push(bytes.subarray(offsets[this.position], offsets[end]));
      n -= end - this.position;
      this.position = end === count ? 0 : end;
    }
    return out;
  }
}
