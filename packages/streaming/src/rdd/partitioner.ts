import { hashKey } from './key-hash.js';

/**
 * Decides which reduce partition a record of a shuffle goes to. Partitioners must be
 * pure: the same record goes to the same partition in every process.
 */
export interface Partitioner {
  readonly numPartitions: number;
  readonly kind: string;
  /** `record` is a [key, value] pair for key partitioners. */
  partitionOf(record: unknown, mapPartition: number, index: number): number;
}

/** Spark's default: hash of the key modulo the number of partitions. */
export class HashPartitioner implements Partitioner {
  readonly kind = 'hash';
  constructor(readonly numPartitions: number) {
    if (!Number.isInteger(numPartitions) || numPartitions < 1) {
      throw new Error(`number of partitions must be a positive integer, got ${numPartitions}`);
    }
  }

  partitionOf(record: unknown): number {
    return hashKey((record as [unknown, unknown])[0]) % this.numPartitions;
  }
}

/**
 * repartition(n): spreads records evenly whatever they are, starting each map partition
 * at a different reduce partition (as Spark does) so small partitions do not all land on
 * partition 0.
 */
export class RoundRobinPartitioner implements Partitioner {
  readonly kind = 'round-robin';
  constructor(readonly numPartitions: number) {
    if (!Number.isInteger(numPartitions) || numPartitions < 1) {
      throw new Error(`number of partitions must be a positive integer, got ${numPartitions}`);
    }
  }

  partitionOf(_record: unknown, mapPartition: number, index: number): number {
    return (mapPartition + index) % this.numPartitions;
  }
}
