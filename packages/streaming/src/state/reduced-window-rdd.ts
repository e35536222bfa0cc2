import { oneToOne, type Dependency } from '../rdd/dependency.js';
import { mapKeyOf, type MapKey } from '../rdd/key-hash.js';
import { RDD } from '../rdd/rdd.js';
import type { TaskEnv } from '../rdd/task-env.js';
import { readCheckpointedPartition } from '../checkpoint/checkpoint-reader-rdd.js';
import { v8Codec } from '../checkpoint/partition-codec.js';

export interface WindowReduceFunctions<K, V> {
  reduce: (a: V, b: V) => V;
  invReduce: (a: V, b: V) => V;
  filter: ((pair: [K, V]) => boolean) | null;
}

/**
 * One window of reduceByKeyAndWindow with an inverse function, partition by partition:
 * the previous window's value of each key, minus (invReduce) the batches that left the
 * window, plus (reduce) the batches that entered it. Every input is partitioned by the
 * same partitioner (the per-batch reduceByKey and the previous window), so partition p
 * only reads partition p of each: no data moves, and the cost is that of the batches that
 * changed, not of the window's length.
 */
export class ReducedWindowRDD<K, V> extends RDD<[K, V]> {
  readonly name = 'ReducedWindowRDD';
  readonly numPartitions: number;
  private prev: RDD<[K, V]> | null;
  private olds: RDD<[K, V]>[];
  private news: RDD<[K, V]>[];

  constructor(
    prev: RDD<[K, V]>,
    olds: RDD<[K, V]>[],
    news: RDD<[K, V]>[],
    private readonly fns: WindowReduceFunctions<K, V>,
  ) {
    super();
    this.numPartitions = prev.numPartitions;
    for (const r of [...olds, ...news]) {
      if (r.numPartitions !== this.numPartitions) {
        throw new Error(`reduceByKeyAndWindow: the window has ${this.numPartitions} partitions but ${r.id} has ${r.numPartitions}`);
      }
    }
    this.prev = prev;
    this.olds = olds;
    this.news = news;
  }

  get dependencies(): Dependency[] {
    if (!this.prev) return [];
    return [this.prev, ...this.olds, ...this.news].map((r) => oneToOne(r as RDD<unknown>));
  }

  protected override releaseParents(): void {
    this.prev = null;
    this.olds = [];
    this.news = [];
  }

  async compute(partition: number, env: TaskEnv): Promise<[K, V][]> {
    if (!this.prev) return readCheckpointedPartition(this, partition, v8Codec<[K, V]>());
    const [prev, olds, news] = await Promise.all([
      this.prev.iterator(partition, env),
      Promise.all(this.olds.map((r) => r.iterator(partition, env))),
      Promise.all(this.news.map((r) => r.iterator(partition, env))),
    ]);
    const { reduce, invReduce, filter } = this.fns;
    // Per key: [key, previous window's value, reduced old batches, reduced new batches].
    type Slot = [K, V | undefined, V | undefined, V | undefined];
    const slots = new Map<MapKey, Slot>();
    const slotOf = (key: K): Slot => {
      const mk = mapKeyOf(key);
      let slot = slots.get(mk);
      if (!slot) slots.set(mk, (slot = [key, undefined, undefined, undefined]));
      return slot;
    };
    for (const [k, v] of prev) slotOf(k)[1] = v;
    // Batches in time order, as Spark reduces them.
    for (const batch of olds) for (const [k, v] of batch) {
      const s = slotOf(k);
      s[2] = s[2] === undefined ? v : reduce(s[2], v);
    }
    for (const batch of news) for (const [k, v] of batch) {
      const s = slotOf(k);
      s[3] = s[3] === undefined ? v : reduce(s[3], v);
    }
    const out: [K, V][] = [];
    for (const [key, before, left, entered] of slots.values()) {
      let value: V;
      if (before === undefined) {
        // A key only in batches that left (its window value was filtered out): nothing is left.
        if (entered === undefined) continue;
        value = entered;
      } else {
        value = before;
        if (left !== undefined) value = invReduce(value, left);
        if (entered !== undefined) value = reduce(value, entered);
      }
      const pair: [K, V] = [key, value];
      if (!filter || filter(pair)) out.push(pair);
    }
    return out;
  }
}
