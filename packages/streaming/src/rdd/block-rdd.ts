import { deserialize } from 'node:v8';
import { InputRDD } from './input-rdd';
import type { ShippedBlock, TaskEnv } from './task-env';

/** Turns one stored record's bytes into the value the job sees; runs on executors. */
export type RecordDecoder<T> = (bytes: Buffer) => T;

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

/** Appends the records of a block to `out`. The hot loop of every receiver-fed job. */
export function decodeBlockInto<T>(block: ShippedBlock, decode: RecordDecoder<T>, out: T[]): void {
  if (block.encoding === 'v8') {
    const records = deserialize(blockData(block)) as T[];
    for (const r of records) out.push(r);
    return;
  }
  const segments = segmentsOf(block);
  if (segments.length === 1) decodeContiguous(asBuffer(segments[0]!), block, decode, out);
  else decodeSegmented(segments, block, decode, out);
}

function decodeContiguous<T>(data: Buffer, block: ShippedBlock, decode: RecordDecoder<T>, out: T[]): void {
  const offsets = block.offsets!;
  // Buffer.from(arrayBuffer, offset, length) makes a view without subarray's species
  // lookup: measurably cheaper when a block holds millions of small records.
  const ab = data.buffer;
  const base = data.byteOffset;
  let at = out.length;
  out.length = at + block.count;
  for (let i = 0; i < block.count; i++) {
    const start = offsets[2 * i]!;
    out[at++] = decode(Buffer.from(ab, base + start, offsets[2 * i + 1]! - start));
  }
}

/**
 * A block still made of the stream's runs (read where the receiver stored it): each
 * record is a view of the run it lies in; only a record that spans runs (a large frame
 * that arrived in several socket chunks) is copied, once, into a buffer of its own.
 */
function decodeSegmented<T>(segments: Uint8Array[], block: ShippedBlock, decode: RecordDecoder<T>, out: T[]): void {
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
      out.push(decode(Buffer.from(first.buffer, first.byteOffset + start - segStart, end - start)));
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
    out.push(decode(record));
  }
}
