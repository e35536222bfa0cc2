import { oneToOne, type Dependency } from './dependency.js';
import { gatherChunks } from './partition-chunks.js';
import { RDD } from './rdd.js';
import { StorageLevel } from './storage-level.js';
import type { TaskEnv } from './task-env.js';

export type PartitionFunction<T, U> = (items: T[], partition: number) => U[] | Promise<U[]>;

/**
 * What map, flatMap and filter do to one record: emit zero or more records. Given one,
 * the RDD streams (forEachRecord): a chain of such RDDs runs record by record.
 */
export type RecordStep<T, U> = (value: T, emit: (out: U) => void) => void;

/** The narrow transformation behind map, flatMap, filter, glom and mapPartitions. */
export class MapPartitionsRDD<T, U> extends RDD<U> {
  readonly dependencies: Dependency[];

  constructor(
    readonly parent: RDD<T>,
    private readonly f: PartitionFunction<T, U>,
    readonly name: string,
    /**
     * True when `f` treats each record on its own (map, filter, flatMap), so applying it
     * to each chunk of the partition gives the same records as applying it to the whole:
     * chunks then pass through (see partition-chunks.ts). mapPartitions and glom see the
     * partition whole.
     */
    readonly elementWise = false,
    /** Element-wise ones: the same transformation, record by record. */
    private readonly step: RecordStep<T, U> | null = null,
  ) {
    super();
    this.dependencies = [oneToOne(parent)];
  }

  get numPartitions(): number {
    return this.parent.numPartitions;
  }

  async compute(partition: number, env: TaskEnv): Promise<U[]> {
    // Element-wise, the input is taken a chunk at a time even here, so a filter over a
    // large Kafka range holds what passes, not the range.
    if (this.elementWise) return gatherChunks(this.computeChunks(partition, env));
    const items = await this.parent.iterator(partition, env);
    return this.f(items, partition);
  }

  override async *computeChunks(partition: number, env: TaskEnv): AsyncGenerator<U[]> {
    if (!this.elementWise) {
      yield await this.compute(partition, env);
      return;
    }
    for await (const chunk of this.parent.chunks(partition, env)) {
      const out = await this.f(chunk, partition);
      if (out.length > 0) yield out;
    }
  }

  override forEachRecord(partition: number, env: TaskEnv, sink: (record: U) => void): Promise<void> {
    const step = this.step;
    if (!step || this.storageLevel !== StorageLevel.NONE) return super.forEachRecord(partition, env, sink);
    return this.parent.forEachRecord(partition, env, (t) => step(t, sink));
  }
}
