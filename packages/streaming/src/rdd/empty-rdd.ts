import type { Dependency } from './dependency';
import { RDD } from './rdd';

/** An RDD with no partitions: a batch with no input. */
export class EmptyRDD<T> extends RDD<T> {
  readonly name = 'EmptyRDD';
  readonly numPartitions = 0;
  readonly dependencies: Dependency[] = [];

  constructor() {
    super();
  }

  compute(): Promise<T[]> {
    return Promise.resolve([]);
  }
}
