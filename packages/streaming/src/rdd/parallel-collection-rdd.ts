import { serialize } from 'node:v8';
import { InputRDD } from './input-rdd.js';
import type { ShippedBlock, TaskEnv } from './task-env.js';
import { decodeBlockInto } from './block-rdd.js';

/**
 * Records that already exist on the driver (queueStream, parallelize), cut into slices.
 * Each slice is serialized once, in bulk, and shipped with its task.
 */
export class ParallelCollectionRDD<T> extends InputRDD<T> {
  readonly name = 'ParallelCollectionRDD';
  readonly numPartitions: number;
  private readonly slices: T[][] | null;

  constructor(records: T[] | null, numSlices: number, id?: string) {
    super(id);
    this.numPartitions = numSlices;
    this.slices = records ? sliceEvenly(records, numSlices) : null;
  }

  descriptor(): { numSlices: number } {
    return { numSlices: this.numPartitions };
  }

  override shippedInput(partition: number): ShippedBlock[] {
    if (!this.slices) return [];
    const slice = this.slices[partition]!;
    const data = serialize(slice);
    return [{ blockId: `${this.id}-${partition}`, encoding: 'v8', count: slice.length, segments: [data], byteLength: data.length, offsets: null }];
  }

  compute(partition: number, env: TaskEnv): Promise<T[]> {
    const out: T[] = [];
    for (const block of env.inputBlocks(this.id, partition)) decodeBlockInto(block, () => undefined as T, out);
    env.recordsRead += out.length;
    return Promise.resolve(out);
  }
}

function sliceEvenly<T>(records: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < n; i++) {
    out.push(records.slice(Math.floor((i * records.length) / n), Math.floor(((i + 1) * records.length) / n)));
  }
  return out;
}
