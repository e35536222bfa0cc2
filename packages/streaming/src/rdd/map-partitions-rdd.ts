import { oneToOne, type Dependency } from './dependency';
import { RDD } from './rdd';
import { StorageLevel } from './storage-level';
import type { TaskEnv } from './task-env';

export type PartitionFunction<T, U> = (items: T[], partition: number) => U[] | Promise<U[]>;

/**
 * What map, flatMap and filter do to one record: emit zero or more records. Given one,
 * the RDD can stream (forEachRecord): a chain of such RDDs runs record by record.
 */
export type RecordStep<T, U> = (value: T, emit: (out: U) => void) => void;

/** The narrow transformation behind map, flatMap, filter, glom and mapPartitions. */
export class MapPartitionsRDD<T, U> extends RDD<U> {
  readonly dependencies: Dependency[];

  constructor(
    readonly parent: RDD<T>,
    private readonly f: PartitionFunction<T, U>,
    readonly name: string,
    /** The same transformation, record by record (map, flatMap, filter). */
    private readonly step: RecordStep<T, U> | null = null,
  ) {
    super();
    this.dependencies = [oneToOne(parent as RDD<unknown>)];
  }

  get numPartitions(): number {
    return this.parent.numPartitions;
  }

  async compute(partition: number, env: TaskEnv): Promise<U[]> {
    const step = this.step;
    if (step) {
      const out: U[] = [];
      const push = (u: U): void => {
        out.push(u);
      };
      await this.parent.forEachRecord(partition, env, (t) => step(t, push));
      return out;
    }
    const items = await this.parent.iterator(partition, env);
    return this.f(items, partition);
  }

  override forEachRecord(partition: number, env: TaskEnv, sink: (record: U) => void): Promise<void> {
    const step = this.step;
    if (!step || this.storageLevel !== StorageLevel.NONE) return super.forEachRecord(partition, env, sink);
    return this.parent.forEachRecord(partition, env, (t) => step(t, sink));
  }
}
