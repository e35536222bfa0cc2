import { serialize } from 'node:v8';
import type { ShippedBlock } from '../rdd/task-env';

/** Records at least this large are kept as their own segment instead of being copied. */
const LARGE_RECORD_BYTES = 64 * 1024;
const SEGMENT_BYTES = 1024 * 1024;

/**
 * Accumulates the records a receiver stores between two block-interval ticks, and cuts
 * them into blocks. Byte records ("frames") are appended to one contiguous buffer with
 * an offsets table, so a block of a million 100-byte messages is one allocation and one
 * send, not a million objects. Records stored as JavaScript values are kept as an array
 * and serialized in bulk when the block is cut.
 */
export class BlockBuilder {
  private segments: Buffer[] = [];
  private current: Buffer = Buffer.allocUnsafe(0);
  private currentUsed = 0;
  private totalBytes = 0;
  private offsets = new Uint32Array(1024);
  private frameCount = 0;
  private values: unknown[] = [];
  private nextBlock = 0;

  constructor(private readonly streamId: number) {}

  get pendingRecords(): number {
    return this.frameCount + this.values.length;
  }

  get pendingBytes(): number {
    return this.totalBytes;
  }

  /** Appends bytes [start, end) of buf as one record. buf may be reused by the caller. */
  addFrame(buf: Buffer, start: number, end: number): void {
    const len = end - start;
    if (this.frameCount + 1 >= this.offsets.length) this.growOffsets();
    if (len >= LARGE_RECORD_BYTES) {
      this.sealCurrent();
      // Large records were assembled into a buffer of their own (or lie in a socket chunk
      // nobody reuses), so the block can point at them rather than copy them.
      this.segments.push(buf.subarray(start, end));
    } else {
      if (this.currentUsed + len > this.current.length) {
        this.sealCurrent();
        this.current = Buffer.allocUnsafe(Math.max(SEGMENT_BYTES, len));
      }
      buf.copy(this.current, this.currentUsed, start, end);
      this.currentUsed += len;
    }
    this.totalBytes += len;
    this.frameCount++;
    this.offsets[this.frameCount] = this.totalBytes;
  }

  addValue(value: unknown): void {
    this.values.push(value);
  }

  /** Cuts what has accumulated into zero, one or two blocks (frames, values). */
  cut(): ShippedBlock[] {
    const blocks: ShippedBlock[] = [];
    if (this.frameCount > 0) {
      this.sealCurrent();
      const data = this.segments.length === 1 ? this.segments[0]! : Buffer.concat(this.segments, this.totalBytes);
      blocks.push({
        blockId: this.newBlockId(),
        encoding: 'frames',
        count: this.frameCount,
        data,
        offsets: this.offsets.slice(0, this.frameCount + 1),
      });
      this.segments = [];
      this.current = Buffer.allocUnsafe(0);
      this.currentUsed = 0;
      this.totalBytes = 0;
      this.frameCount = 0;
    }
    if (this.values.length > 0) {
      blocks.push({
        blockId: this.newBlockId(),
        encoding: 'v8',
        count: this.values.length,
        data: serialize(this.values),
        offsets: null,
      });
      this.values = [];
    }
    return blocks;
  }

  private newBlockId(): string {
    return `input-${this.streamId}-${this.nextBlock++}`;
  }

  private sealCurrent(): void {
    if (this.currentUsed > 0) {
      this.segments.push(this.current.subarray(0, this.currentUsed));
      this.current = this.current.subarray(this.currentUsed);
      this.currentUsed = 0;
    }
  }

  private growOffsets(): void {
    const bigger = new Uint32Array(this.offsets.length * 2);
    bigger.set(this.offsets);
    this.offsets = bigger;
  }
}
