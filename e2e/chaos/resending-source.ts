import { createServer, type Server, type Socket } from 'node:net';

const TICK_MS = 50;

/**
 * What the chaos sources share: records produced at `rate` per second, served to one
 * connection at a time, each kept until the receiver acknowledges it. A new connection
 * starts at the first record not acknowledged, so a receiver that died with records
 * unacknowledged gets them again (at-least-once from the source's side). Subclasses say
 * where the source listens, how records go on the wire and how acknowledgements read.
 */
export abstract class ResendingSource {
  private server: Server | null = null;
  private current: Socket | null = null;
  private producing: NodeJS.Timeout | null = null;
  private produced = 0;
  private acked = 0;
  /** First record not yet sent on the current connection. */
  private next = 0;
  private highestSent = 0;
  /** Records sent more than once (a new connection resent them). */
  resent = 0;
  connections = 0;

  constructor(
    readonly keys: number,
    private readonly rate: number,
  ) {}

  /** Starts `server` listening where the receiver will connect. */
  protected abstract listen(server: Server): Promise<void>;
  /** Records [from, to) as the bytes the receiver reads. */
  protected abstract encode(from: number, to: number): Buffer | string;
  /**
   * Reads the connection's acknowledgements; calls `acknowledged(n)` when the first n
   * records of the whole run are stored for good. `first` is the record the connection
   * started at, for protocols that count from the connection's start.
   */
  protected abstract readAcks(socket: Socket, first: number, acknowledged: (n: number) => void): void;

  async start(): Promise<void> {
    const server = createServer((socket) => this.onConnection(socket));
    this.server = server;
    await this.listen(server);
    // Whole records per tick, the fractions carried over, so the rate holds at any value.
    let credit = 0;
    this.producing = setInterval(() => {
      credit += (this.rate * TICK_MS) / 1000;
      const n = Math.floor(credit);
      credit -= n;
      this.produced += n;
      this.pump();
    }, TICK_MS);
  }

  /** Stops producing new records (what was produced is still delivered). */
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
    const server = this.server;
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  }

  private onConnection(socket: Socket): void {
    socket.on('error', () => {});
    this.current?.destroy();
    this.current = socket;
    this.connections++;
    this.resent += Math.max(0, this.highestSent - this.acked);
    this.next = this.acked;
    this.readAcks(socket, this.next, (n) => {
      // A late acknowledgement from a connection already replaced says nothing of the new one.
      if (socket === this.current) this.acked = Math.max(this.acked, n);
    });
    socket.on('close', () => {
      if (this.current === socket) this.current = null;
    });
    this.pump();
  }

  private pump(): void {
    const socket = this.current;
    if (!socket || socket.destroyed || socket.writableNeedDrain) return;
    if (this.next >= this.produced) return;
    const bytes = this.encode(this.next, this.produced);
    this.next = this.produced;
    this.highestSent = Math.max(this.highestSent, this.produced);
    socket.write(bytes);
  }
}
