import type { RDD } from './rdd.js';
import type { ShuffledRDD } from './shuffled-rdd.js';

/**
 * How an RDD's partition depends on its parents. Narrow: a partition reads a few parent
 * partitions and runs in the same task. Shuffle: it reads a slice of every parent
 * partition, so the parent is computed first, in a stage of its own.
 */
export interface NarrowDependency {
  readonly kind: 'narrow';
  readonly rdd: RDD<unknown>;
  /** Parent partitions that partition `p` of the child reads. */
  parents(p: number): number[];
}

export interface ShuffleDependency {
  readonly kind: 'shuffle';
  readonly rdd: RDD<unknown>;
  readonly shuffle: ShuffledRDD<unknown, unknown, unknown>;
}

export type Dependency = NarrowDependency | ShuffleDependency;

export function oneToOne(rdd: RDD<unknown>): NarrowDependency {
  return { kind: 'narrow', rdd, parents: (p) => [p] };
}

export function rangeDependency(rdd: RDD<unknown>, childStart: number): NarrowDependency {
  return {
    kind: 'narrow',
    rdd,
    parents: (p) => (p >= childStart && p < childStart + rdd.numPartitions ? [p - childStart] : []),
  };
}
