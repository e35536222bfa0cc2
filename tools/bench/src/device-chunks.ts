import { encodeDeviceFrame } from '@sluice/protocol';
import type { ChunkSource } from './pump.js';

/** Chunks in the pool: one being written, one queued, one being numbered. */
const POOL_SIZE = 3;

/**
 * Device frames of `size`-byte payloads, pre-built into a few chunks of about 4 MiB (one
 * frame each when frames are larger) that are written in turn. Frames carry consecutive
 * sequence numbers, as a device's do, so a receiver sees no gaps: before a chunk is
 * written again its frames are renumbered in place. The CRC covers the payload alone, so
 * renumbering costs one 4-byte write per frame, and a chunk is only renumbered once its
 * previous write has completed.
 */
export class DeviceChunks implements ChunkSource {
  readonly framesPerChunk: number;
  private readonly frameBytes: number;
  private readonly pool: Buffer[];
  private readonly inFlight = new Set<Buffer>();
  private readonly waiting = new Map<Buffer, () => void>();
  private turn = 0;
  private sequence = 0;

  constructor(size: number) {
    const frame = encodeDeviceFrame(0, Buffer.alloc(size, 0x61));
    this.frameBytes = frame.length;
    this.framesPerChunk = Math.max(1, Math.floor((4 * 1024 * 1024) / frame.length));
    this.pool = Array.from({ length: POOL_SIZE }, () =>
      this.framesPerChunk === 1 ? Buffer.from(frame) : Buffer.concat(Array.from({ length: this.framesPerChunk }, () => frame)),
    );
  }

  async next(): Promise<Buffer> {
    const chunk = this.pool[this.turn]!;
    this.turn = (this.turn + 1) % this.pool.length;
    if (this.inFlight.has(chunk)) await new Promise<void>((resolve) => this.waiting.set(chunk, resolve));
    for (let at = 4; at < chunk.length; at += this.frameBytes) {
      chunk.writeUInt32BE(this.sequence, at);
      this.sequence = (this.sequence + 1) >>> 0;
    }
    this.inFlight.add(chunk);
    return chunk;
  }

  written(chunk: Buffer): void {
    this.inFlight.delete(chunk);
    const resume = this.waiting.get(chunk);
    this.waiting.delete(chunk);
    resume?.();
  }

  messagesIn(): number {
    return this.framesPerChunk;
  }
}
