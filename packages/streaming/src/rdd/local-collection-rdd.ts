import type { Dependency } from './dependency.js';
import { RDD } from './rdd.js';

/**
 * A static dataset that the job function builds on the driver and on every executor
 * alike (StreamingContext.parallelize): a reference table to join a stream with, say.
 * Its records never travel: each process slices its own copy, so they must be the same
 * everywhere (a literal, or a file every host has); the graph fingerprint holds a hash of
 * them, and an executor whose copy differs is refused.
 */
export class LocalCollectionRDD<T> extends RDD<T> {
  readonly name = 'LocalCollectionRDD';
  readonly dependencies: Dependency[] = [];
  private readonly slices: T[][];

  constructor(records: readonly T[], readonly numPartitions: number) {
    super();
    if (!Number.isInteger(numPartitions) || numPartitions < 1) {
      throw new Error(`number of partitions must be a positive integer, got ${numPartitions}`);
    }
    this.slices = [];
    for (let i = 0; i < numPartitions; i++) {
      this.slices.push(records.slice(Math.floor((i * records.length) / numPartitions), Math.floor(((i + 1) * records.length) / numPartitions)));
    }
  }

  compute(partition: number): Promise<T[]> {
    const slice = this.slices[partition];
    if (!slice) throw new Error(`partition ${partition} out of range for ${this.id}`);
    return Promise.resolve(slice.slice());
  }
}
