import { readCheckpointedPartition } from '../checkpoint/checkpoint-reader-rdd.js';
import type { PartitionCodec } from '../checkpoint/partition-codec.js';
import { oneToOne, type Dependency } from '../rdd/dependency.js';
import { mapKeyOf, type MapKey } from '../rdd/key-hash.js';
import { RDD } from '../rdd/rdd.js';
import type { TaskEnv } from '../rdd/task-env.js';

export type UpdateFunction<V, S> = (values: V[], state: S | undefined) => S | undefined;

/**
 * updateStateByKey's state after one batch: partition p = the previous state's partition
 * p with this batch's values for its keys (grouped by the same partitioner). The update
 * function runs for every key that has a state or new values, as in Spark; returning
 * undefined drops the key.
 */
export class UpdateStateRDD<K, V, S> extends RDD<[K, S]> {
  readonly name = 'StateRDD(updateStateByKey)';
  readonly numPartitions: number;
  private prev: RDD<[K, S]> | null;
  private grouped: RDD<[K, V[]]> | null;

  constructor(
    prev: RDD<[K, S]>,
    grouped: RDD<[K, V[]]>,
    private readonly fn: UpdateFunction<V, S>,
    private readonly codec: PartitionCodec<[K, S]>,
  ) {
    super();
    if (prev.numPartitions !== grouped.numPartitions) {
      throw new Error(`updateStateByKey: state has ${prev.numPartitions} partitions but the new data ${grouped.numPartitions}`);
    }
    this.numPartitions = prev.numPartitions;
    this.prev = prev;
    this.grouped = grouped;
  }

  get dependencies(): Dependency[] {
    if (!this.prev || !this.grouped) return [];
    return [oneToOne(this.prev), oneToOne(this.grouped)];
  }

  protected override releaseParents(): void {
    this.prev = null;
    this.grouped = null;
  }

  async compute(partition: number, env: TaskEnv): Promise<[K, S][]> {
    if (!this.prev || !this.grouped) return readCheckpointedPartition(this, partition, this.codec);
    const [states, grouped] = await Promise.all([this.prev.iterator(partition, env), this.grouped.iterator(partition, env)]);
    const fresh = new Map<MapKey, [K, V[]]>();
    for (const pair of grouped) fresh.set(mapKeyOf(pair[0]), pair);
    const out: [K, S][] = [];
    for (const [key, state] of states) {
      const mk = mapKeyOf(key);
      const values = fresh.get(mk);
      if (values) fresh.delete(mk);
      const next = this.fn(values ? values[1] : [], state);
      if (next !== undefined) out.push([key, next]);
    }
    for (const [key, values] of fresh.values()) {
      const next = this.fn(values, undefined);
      if (next !== undefined) out.push([key, next]);
    }
    return out;
  }
}
