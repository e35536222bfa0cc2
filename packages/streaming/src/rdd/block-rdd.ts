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

/** A block's bytes as one Buffer (executors get one segment; joined only if needed). */
export function blockData(block: ShippedBlock): Buffer {
  const [first] = block.segments;
  if (block.segments.length === 1 && first) {
    return Buffer.isBuffer(first) ? first : Buffer.from(first.buffer, first.byteOffset, first.byteLength);
  }
  return Buffer.concat(block.segments, block.byteLength);
}

/** Appends the records of a shipped block to `out`. The hot loop of every receiver-fed job. */
export function decodeBlockInto<T>(block: ShippedBlock, decode: RecordDecoder<T>, out: T[]): void {
  const data = blockData(block);
  if (block.encoding === 'v8') {
    const records = deserialize(data) as T[];
    for (const r of records) out.push(r);
    return;
  }
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
