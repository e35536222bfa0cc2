import type { Dependency } from './dependency.js';
import { RDD } from './rdd.js';
import type { ShippedBlock } from './task-env.js';

/**
 * An RDD at the root of a lineage, whose partitions come from outside: received blocks,
 * a queue, a Kafka offset range. On the driver it is made from the source; on an executor
 * it is rebuilt from `descriptor()`, the small metadata the driver sends with every task
 * of the batch, plus the bulk data of the partition the task reads (`shippedInput`).
 */
export abstract class InputRDD<T> extends RDD<T> {
  readonly dependencies: Dependency[] = [];

  /** JSON-serializable metadata that rebuilds this RDD on an executor. */
  abstract descriptor(): unknown;

  /** Bulk data to ship with the task that computes `partition` (driver side). */
  shippedInput(_partition: number): ShippedBlock[] {
    return [];
  }
}
