import { oneToOne, type Dependency } from './dependency';
import { RDD } from './rdd';
import type { TaskEnv } from './task-env';

export type PartitionFunction<T, U> = (items: T[], partition: number) => U[] | Promise<U[]>;

/** The narrow transformation behind map, flatMap, filter, glom and mapPartitions. */
export class MapPartitionsRDD<T, U> extends RDD<U> {
  readonly dependencies: Dependency[];

  constructor(
    readonly parent: RDD<T>,
    private readonly f: PartitionFunction<T, U>,
    readonly name: string,
  ) {
    super();
    this.dependencies = [oneToOne(parent as RDD<unknown>)];
  }

  get numPartitions(): number {
    return this.parent.numPartitions;
  }

  async compute(partition: number, env: TaskEnv): Promise<U[]> {
    const items = await this.parent.iterator(partition, env);
    return this.f(items, partition);
  }
}
