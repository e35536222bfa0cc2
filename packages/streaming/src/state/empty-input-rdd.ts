import { InputRDD } from '../rdd/input-rdd.js';

/**
 * A stateful stream's starting point when there is no initial state: n empty partitions.
 * It is an input RDD so that its descriptor travels with the tasks and tells executors
 * that the batch is the stream's first (see recursive-dstream.ts).
 */
export class EmptyInputRDD<T> extends InputRDD<T> {
  readonly name = 'EmptyInputRDD';

  constructor(readonly numPartitions: number, id: string) {
    super(id);
  }

  descriptor(): { numPartitions: number } {
    return { numPartitions: this.numPartitions };
  }

  compute(): Promise<T[]> {
    return Promise.resolve([]);
  }
}
