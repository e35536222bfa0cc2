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

/** Appends the records of a shipped block to `out`. The hot loop of every receiver-fed job. */
export function decodeBlockInto<T>(block: ShippedBlock, decode: RecordDecoder<T>, out: T[]): void {
  if (block.encoding === 'v8') {
    const records = deserialize(block.data) as T[];
    for (const r of records) out.push(r);
    return;
  }
  const offsets = block.offsets!;
  const data = Buffer.isBuffer(block.data)
    ? block.data
    : Buffer.from(block.data.buffer, block.data.byteOffset, block.data.byteLength);
  for (let i = 0; i < block.count; i++) {
    out.push(decode(data.subarray(offsets[2 * i]!, offsets[2 * i + 1]!)));
  }
}
