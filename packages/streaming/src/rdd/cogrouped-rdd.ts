import { groupAggregator } from './aggregator.js';
import { oneToOne, type Dependency } from './dependency.js';
import { mapKeyOf, type MapKey } from './key-hash.js';
import type { Partitioner } from './partitioner.js';
import { RDD } from './rdd.js';
import { ShuffledRDD } from './shuffled-rdd.js';
import type { TaskEnv } from './task-env.js';

/**
 * Spark's CoGroupedRDD: for each key of any parent, the key's values in each parent, as
 * [key, [valuesOfParent0, valuesOfParent1, ...]]. The base of join, leftOuterJoin,
 * rightOuterJoin, fullOuterJoin and cogroup.
 *
 * A parent already partitioned by an equal partitioner (the result of reduceByKey(f, n)
 * joined with n partitions, say) is read partition by partition where it is, with no
 * data moving; any other parent is shuffled to the partitioner first, its values grouped
 * by key on the map side so a key travels once per map task.
 */
export class CoGroupedRDD<K> extends RDD<[K, unknown[][]]> {
  readonly name = 'CoGroupedRDD';
  readonly dependencies: Dependency[];
  /** What each parent is read through: itself, or its shuffle to `partitioner`. */
  private readonly sides: { rdd: RDD<[K, unknown]>; grouped: boolean }[];

  constructor(
    parents: RDD<[K, unknown]>[],
    readonly partitioner: Partitioner,
  ) {
    super();
    this.sides = parents.map((parent) => {
      if (samePartitioning(partitionerOf(parent), partitioner)) return { rdd: parent, grouped: false };
      const shuffled = new ShuffledRDD(parent, partitioner, groupAggregator(), 'ShuffledRDD(cogroup)');
      return { rdd: shuffled as RDD<[K, unknown]>, grouped: true };
    });
    this.dependencies = this.sides.map((s) => oneToOne(s.rdd as RDD<unknown>));
  }

  get numPartitions(): number {
    return this.partitioner.numPartitions;
  }

  async compute(partition: number, env: TaskEnv): Promise<[K, unknown[][]][]> {
    const n = this.sides.length;
    const byKey = new Map<MapKey, [K, unknown[][]]>();
    for (let i = 0; i < n; i++) {
      const { rdd, grouped } = this.sides[i]!;
      for (const [key, value] of await rdd.iterator(partition, env)) {
        const mk = mapKeyOf(key);
        let entry = byKey.get(mk);
        if (entry === undefined) {
          entry = [key, Array.from({ length: n }, () => [])];
          byKey.set(mk, entry);
        }
        const values = entry[1][i]!;
        if (grouped) for (const v of value as unknown[]) values.push(v);
        else values.push(value);
      }
    }
    return [...byKey.values()];
  }
}

/** The partitioner an RDD's records are known to be laid out by, if any. */
export function partitionerOf(rdd: RDD<unknown>): Partitioner | undefined {
  if (rdd instanceof ShuffledRDD || rdd instanceof CoGroupedRDD) return rdd.partitioner;
  return undefined;
}

/** Equal partitioners put every key in the same partition: hash partitioners of one size. */
function samePartitioning(a: Partitioner | undefined, b: Partitioner): boolean {
  return a !== undefined && a.kind === 'hash' && b.kind === 'hash' && a.numPartitions === b.numPartitions;
}
