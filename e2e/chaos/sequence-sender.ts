import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * The chaos test's source: line i is `k<i mod keys>,<i div keys>`, a key and its own
 * sequence number, produced at `rate` lines per second. It keeps every line not yet
 * acknowledged (`ACK <n>`: the first n lines of this connection are stored for good) and
 * starts each new connection at the first unacknowledged line, so a receiver that died
 * with lines unacknowledged gets them again.
 */
export class SequenceSender {
  private server: Server | null = null;
  private current: Socket | null = null;
  private produced = 0;
  private acked = 0;
  private producing: NodeJS.Timeout | null = null;
  /** Lines sent more than once (a new connection resent them). */
  resent = 0;
  connections = 0;
  port = 0;

  constructor(
    readonly keys: number,
    private readonly rate: number,
  ) {}

  static line(i: number, keys: number): string {
    return `k${i % keys},${Math.floor(i / keys)}`;
  }

  async start(): Promise<void> {
    this.server = createServer((socket) => this.onConnection(socket));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    const tickMs = 50;
    let credit = 0;
    this.producing = setInterval(() => {
      credit += (this.rate * tickMs) / 1000;
      const n = Math.floor(credit);
      credit -= n;
      this.produced += n;
      this.pump();
    }, tickMs);
  }

  /** Stops producing new lines (what was produced is still delivered). */
  stopProducing(): void {
    if (this.producing) clearInterval(this.producing);
    this.producing = null;
  }

  get totalProduced(): number {
    return this.produced;
  }

  get totalAcked(): number {
    return this.acked;
  }

  async close(): Promise<void> {
    this.stopProducing();
    this.current?.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private sentOnConn = 0;
  private connBase = 0;

  private onConnection(socket: Socket): void {
    socket.on('error', () => {});
    this.current?.destroy();
    this.current = socket;
    this.connections++;
    // Everything after the acknowledged lines is sent (again) on this connection.
    this.connBase = this.acked;
    this.resent += Math.max(0, this.highestSent - this.acked);
    this.sentOnConn = 0;
    let rest = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const text = rest + chunk;
      const lines = text.split('\n');
      rest = lines.pop()!;
      for (const l of lines) {
        const m = /^ACK (\d+)$/.exec(l);
        if (m && socket === this.current) this.acked = Math.max(this.acked, this.connBase + Number(m[1]));
      }
    });
    socket.on('close', () => {
      if (this.current === socket) this.current = null;
    });
    this.pump();
  }

  private highestSent = 0;

  private pump(): void {
    const socket = this.current;
    if (!socket || socket.destroyed || socket.writableNeedDrain) return;
    const from = this.connBase + this.sentOnConn;
    if (from >= this.produced) return;
    const parts: string[] = [];
    for (let i = from; i < this.produced; i++) parts.push(SequenceSender.line(i, this.keys));
    this.sentOnConn += parts.length;
    this.highestSent = Math.max(this.highestSent, this.produced);
    socket.write(`${parts.join('\n')}\n`);
  }
}
