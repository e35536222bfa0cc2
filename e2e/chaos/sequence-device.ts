import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { encodeDeviceFrame } from '@sluice/protocol';
import { DeviceAckReader } from '@sluice/streaming/internal';
import { SequenceSender } from './sequence-sender.js';

/**
 * The chaos test's device: a Unix socket that streams device frames (sync word, sequence
 * number, length, CRC-32) as a smart NIC would, frame i carrying the line
 * `k<i mod keys>,<i div keys>` with device sequence number i, at `rate` frames per
 * second. Like a DMA ring it keeps every frame until the receiver acknowledges it
 * (DeviceReceiver's `acknowledge`: "SACK" and the last frame's sequence number stored
 * for good), and starts each new connection at the first frame not acknowledged, so a
 * receiver that died with frames unacknowledged gets them again.
 */
export class SequenceDevice {
  private server: Server | null = null;
  private current: Socket | null = null;
  private produced = 0;
  private acked = 0;
  private producing: NodeJS.Timeout | null = null;
  /** First frame not yet sent on the current connection. */
  private next = 0;
  private highestSent = 0;
  /** Frames sent more than once (a new connection resent them). */
  resent = 0;
  connections = 0;

  constructor(
    readonly path: string,
    readonly keys: number,
    private readonly rate: number,
  ) {}

  async start(): Promise<void> {
    rmSync(this.path, { force: true });
    this.server = createServer((socket) => this.onConnection(socket));
    await new Promise<void>((r) => this.server!.listen(this.path, r));
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

  stopProducing(): void {
    if (this.producing) clearInterval(this.producing);
    this.producing = null;
  }

  get totalProduced(): number {
    return this.produced;
  }

  async close(): Promise<void> {
    this.stopProducing();
    this.current?.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    rmSync(this.path, { force: true });
  }

  private onConnection(socket: Socket): void {
    socket.on('error', () => {});
    this.current?.destroy();
    this.current = socket;
    this.connections++;
    this.resent += Math.max(0, this.highestSent - this.acked);
    this.next = this.acked;
    const acks = new DeviceAckReader();
    socket.on('data', (chunk: Buffer) => {
      let seqs: number[];
      try {
        seqs = acks.push(chunk);
      } catch (err) {
        socket.destroy(err as Error);
        return;
      }
      if (socket === this.current) for (const seq of seqs) this.acked = Math.max(this.acked, seq + 1);
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
    const frames: Buffer[] = [];
    for (let i = this.next; i < this.produced; i++) frames.push(encodeDeviceFrame(i, Buffer.from(SequenceSender.line(i, this.keys))));
    this.next = this.produced;
    this.highestSent = Math.max(this.highestSent, this.produced);
    socket.write(Buffer.concat(frames));
  }
}
