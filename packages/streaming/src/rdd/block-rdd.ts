import { deserialize } from 'node:v8';
import { InputRDD } from './input-rdd.js';
import { StorageLevel } from './storage-level.js';
import type { ShippedBlock, TaskEnv } from './task-env.js';

/**
 * Turns one stored record's bytes into the value the job sees; runs on executors. A
 * decoder may also read a record straight out of the block (`fromRange`), which saves
 * making a Buffer view per record (text lines: one string straight from the bytes).
 */
export type RecordDecoder<T> = ((bytes: Buffer) => T) & {
  fromRange?: (data: Buffer, start: number, end: number) => T;
};

export interface BlockDescriptor {
  blockId: string;
  count: number;
  bytes: number;
}

/**
 * The batch of a receiver: one partition per block. On the driver the blocks are held in
 * memory until the batch is done; each travels once, inside the task that reads it.
 */
export class BlockRDD<T> extends InputRDD<T> {
  readonly name = 'BlockRDD';

  constructor(
    readonly blocks: BlockDescriptor[],
    private readonly decode: RecordDecoder<T>,
    /** Driver side only: the blocks themselves. */
    private readonly data: ShippedBlock[] | null,
    id?: string,
  ) {
    super(id);
  }

  get numPartitions(): number {
    return this.blocks.length;
  }

  descriptor(): BlockDescriptor[] {
    return this.blocks;
  }

  override shippedInput(partition: number): ShippedBlock[] {
    return this.data ? [this.data[partition]!] : [];
  }

  compute(partition: number, env: TaskEnv): Promise<T[]> {
    const out: T[] = [];
    for (const block of env.inputBlocks(this.id, partition)) decodeBlockInto(block, this.decode, out);
    env.recordsRead += out.length;
    return Promise.resolve(out);
  }

  /** Decodes record by record into the sink: the partition's array is never built. */
  override forEachRecord(partition: number, env: TaskEnv, sink: (record: T) => void): Promise<void> {
    if (this.storageLevel !== StorageLevel.NONE) return super.forEachRecord(partition, env, sink);
    for (const block of env.inputBlocks(this.id, partition)) {
      decodeBlockEach(block, this.decode, sink);
      env.recordsRead += block.count;
    }
    return Promise.resolve();
  }
}

/** The bytes of a block that is in this process (shipped in a task or in the block store). */
function segmentsOf(block: ShippedBlock): Uint8Array[] {
  if (!block.segments) throw new Error(`block ${block.blockId} is held by executor ${block.heldBy} and was not shipped here`);
  return block.segments;
}

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** A block's bytes as one Buffer (a view when it has one segment; joined only if needed). */
export function blockData(block: ShippedBlock): Buffer {
  const segments = segmentsOf(block);
  const [first] = segments;
  if (segments.length === 1 && first) return asBuffer(first);
  return Buffer.concat(segments, block.byteLength);
}

/** Appends the records of a block to `out`. */
export function decodeBlockInto<T>(block: ShippedBlock, decode: RecordDecoder<T>, out: T[]): void {
  decodeBlockEach(block, decode, (r) => out.push(r));
}

/** Hands each record of a block to `sink`, in order. The hot loop of every receiver-fed job. */
export function decodeBlockEach<T>(block: ShippedBlock, decode: RecordDecoder<T>, sink: (record: T) => void): void {
  if (block.encoding === 'v8') {
    const records = deserialize(blockData(block)) as T[];
    for (let i = 0; i < records.length; i++) sink(records[i]!);
    return;
  }
  const segments = segmentsOf(block);
  if (segments.length === 1) decodeContiguous(asBuffer(segments[0]!), block, decode, sink);
  else decodeSegmented(segments, block, decode, sink);
}

function decodeContiguous<T>(data: Buffer, block: ShippedBlock, decode: RecordDecoder<T>, sink: (record: T) => void): void {
  const offsets = block.offsets!;
  const fromRange = decode.fromRange;
  if (fromRange) {
    for (let i = 0; i < block.count; i++) sink(fromRange(data, offsets[2 * i]!, offsets[2 * i + 1]!));
    return;
  }
  // Buffer.from(arrayBuffer, offset, length) makes a view without subarray's species
  // lookup: measurably cheaper when a block holds millions of small records.
  const ab = data.buffer;
  const base = data.byteOffset;
  for (let i = 0; i < block.count; i++) {
    const start = offsets[2 * i]!;
    sink(decode(Buffer.from(ab, base + start, offsets[2 * i + 1]! - start)));
  }
}

/**
 * A block still made of the stream's runs (read where the receiver stored it): each
 * record is a view of the run it lies in; only a record that spans runs (a large frame
 * that arrived in several socket chunks) is copied, once, into a buffer of its own.
 */
function decodeSegmented<T>(segments: Uint8Array[], block: ShippedBlock, decode: RecordDecoder<T>, sink: (record: T) => void): void {
  const offsets = block.offsets!;
  let seg = 0;
  let segStart = 0; // block offset where segments[seg] starts
  for (let i = 0; i < block.count; i++) {
    const start = offsets[2 * i]!;
    const end = offsets[2 * i + 1]!;
    while (seg < segments.length - 1 && segStart + segments[seg]!.byteLength <= start) {
      segStart += segments[seg]!.byteLength;
      seg++;
    }
    const first = segments[seg]!;
    if (end <= segStart + first.byteLength) {
      sink(decode(Buffer.from(first.buffer, first.byteOffset + start - segStart, end - start)));
      continue;
    }
    const record = Buffer.allocUnsafe(end - start);
    let filled = 0;
    let s = seg;
    let sStart = segStart;
    while (filled < record.length) {
      const piece = segments[s]!;
      const from = Math.max(start, sStart) - sStart;
      const to = Math.min(end, sStart + piece.byteLength) - sStart;
      record.set(piece.subarray(from, to), filled);
      filled += to - from;
      sStart += piece.byteLength;
      s++;
    }
    sink(decode(record));
  }
}
