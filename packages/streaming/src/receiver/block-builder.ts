import { serialize } from 'node:v8';
import type { ShippedBlock } from '../rdd/task-env.js';
import { continues } from './slab-reader.js';

/**
 * Part of every block id, distinct for each process run: a driver restarted from a
 * checkpoint replays blocks from its write-ahead log under their old ids, and the blocks
 * its receivers cut now must not take the same ids.
 */
const RUN_TAG = `${Date.now().toString(36)}${process.pid.toString(36)}`;

/** Bytes between two records of one chunk (framing headers) still kept in one run. */
const MAX_GAP_BYTES = 256;

/**
 * Accumulates the records a receiver stores between two block-interval ticks, and cuts
 * them into blocks.
 *
 * Byte records ("frames") are never copied here. Records that follow each other in the
 * same chunk of the stream form a run (the framing headers between them included); a
 * record only extends the current run and notes its start and end. A block is the list
 * of its runs: the driver writes them to the executor's socket as they are, and the
 * executor receives them as one contiguous buffer. This relies on the framer contract:
 * buffers handed to the sink are never overwritten.
 *
 * Records stored as JavaScript values are kept as an array and serialized in bulk when the
 * block is cut.
 */
export class BlockBuilder {
  private runs: Buffer[] = [];
  private runBuf: Buffer | null = null;
  private runStart = 0;
  private runEnd = 0;
  /** Bytes of the sealed runs: where the current run starts in the block. */
  private sealedBytes = 0;
  private offsets = new Uint32Array(2048);
  private frameCount = 0;
  private payloadBytes = 0;
  private values: unknown[] = [];
  private nextBlock = 0;

  constructor(private readonly streamId: number) {}

  get pendingRecords(): number {
    return this.frameCount + this.values.length;
  }

  /** Payload bytes of the frames waiting for the next cut. */
  get pendingBytes(): number {
    return this.payloadBytes;
  }

  /** Adds bytes [start, end) of buf as one record. */
  addFrame(buf: Buffer, start: number, end: number): void {
    if (buf !== this.runBuf || start < this.runEnd || start - this.runEnd > MAX_GAP_BYTES) {
      this.sealRun();
      this.runBuf = buf;
      this.runStart = start;
    }
    this.runEnd = end;
    const i = 2 * this.frameCount;
    if (i + 2 > this.offsets.length) this.growOffsets();
    const base = this.sealedBytes - this.runStart;
    this.offsets[i] = base + start;
    this.offsets[i + 1] = base + end;
    this.frameCount++;
    this.payloadBytes += end - start;
  }

  /** Adds one record made of pieces (views of consecutive chunks), without copying. */
  addFramePieces(pieces: Buffer[], length: number): void {
    this.sealRun();
    const i = 2 * this.frameCount;
    if (i + 2 > this.offsets.length) this.growOffsets();
    this.offsets[i] = this.sealedBytes;
    for (const piece of pieces) this.pushRun(piece);
    this.offsets[i + 1] = this.sealedBytes;
    this.frameCount++;
    this.payloadBytes += length;
  }

  /**
   * Adds a block of records stored whole (storeBytes, rawSocketStream): its data becomes
   * one more run and its offsets are shifted into place, so many small stored blocks still
   * make one partition per block interval instead of one each.
   */
  addBlock(data: Buffer, offsets: Uint32Array): void {
    this.sealRun();
    const count = offsets.length / 2;
    while (2 * (this.frameCount + count) > this.offsets.length) this.growOffsets();
    const base = this.sealedBytes;
    const at = 2 * this.frameCount;
    for (let i = 0; i < offsets.length; i++) this.offsets[at + i] = base + offsets[i]!;
    this.runs.push(data);
    this.sealedBytes += data.length;
    this.frameCount += count;
    for (let i = 0; i < count; i++) this.payloadBytes += offsets[2 * i + 1]! - offsets[2 * i]!;
  }

  addValue(value: unknown): void {
    this.values.push(value);
  }

  /** Cuts what has accumulated into zero, one or two blocks (frames, values). */
  cut(): ShippedBlock[] {
    const blocks: ShippedBlock[] = [];
    if (this.frameCount > 0) {
      this.sealRun();
      blocks.push({
        blockId: this.newBlockId(),
        encoding: 'frames',
        count: this.frameCount,
        segments: this.runs,
        byteLength: this.sealedBytes,
        offsets: this.offsets.slice(0, 2 * this.frameCount),
      });
      this.runs = [];
      this.sealedBytes = 0;
      this.frameCount = 0;
      this.payloadBytes = 0;
    }
    if (this.values.length > 0) {
      const data = serialize(this.values);
      blocks.push({
        blockId: this.newBlockId(),
        encoding: 'v8',
        count: this.values.length,
        segments: [data],
        byteLength: data.length,
        offsets: null,
      });
      this.values = [];
    }
    return blocks;
  }

  private newBlockId(): string {
    return `input-${this.streamId}-${RUN_TAG}-${this.nextBlock++}`;
  }

  private sealRun(): void {
    if (this.runBuf) {
      this.pushRun(this.runBuf.subarray(this.runStart, this.runEnd));
      this.runBuf = null;
    }
  }

  /**
   * Appends a run, merged with the previous one when it continues it in memory: a
   * receiver reading into slabs (see slabReader) gets large frames as views of adjacent
   * reads, which join back into one view instead of one run per read.
   */
  private pushRun(run: Buffer): void {
    const last = this.runs[this.runs.length - 1];
    if (last && continues(last, run)) {
      this.runs[this.runs.length - 1] = Buffer.from(last.buffer, last.byteOffset, last.byteLength + run.byteLength);
    } else {
      this.runs.push(run);
    }
    this.sealedBytes += run.byteLength;
  }

  private growOffsets(): void {
    const bigger = new Uint32Array(this.offsets.length * 2);
    bigger.set(this.offsets);
    this.offsets = bigger;
  }
}
