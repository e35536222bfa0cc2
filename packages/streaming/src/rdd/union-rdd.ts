import { rangeDependency, type Dependency } from './dependency.js';
import { RDD } from './rdd.js';
import { StorageLevel } from './storage-level.js';
import type { TaskEnv } from './task-env.js';

/** The partitions of its parents, one after another; no data moves. */
export class UnionRDD<T> extends RDD<T> {
  readonly name = 'UnionRDD';
  readonly dependencies: Dependency[];
  readonly numPartitions: number;
  private readonly starts: number[];

  constructor(readonly parents: RDD<T>[]) {
    super();
    let start = 0;
    this.starts = [];
    this.dependencies = parents.map((p) => {
      this.starts.push(start);
      const dep = rangeDependency(p, start);
      start += p.numPartitions;
      return dep;
    });
    this.numPartitions = start;
  }

  compute(partition: number, env: TaskEnv): Promise<T[]> {
    const [parent, inParent] = this.locate(partition);
    return parent.iterator(inParent, env);
  }

  override computeChunks(partition: number, env: TaskEnv): AsyncGenerator<T[]> {
    const [parent, inParent] = this.locate(partition);
    return parent.chunks(inParent, env);
  }

  override forEachRecord(partition: number, env: TaskEnv, sink: (record: T) => void): Promise<void> {
    if (this.storageLevel !== StorageLevel.NONE) return super.forEachRecord(partition, env, sink);
    const [parent, inParent] = this.locate(partition);
    return parent.forEachRecord(inParent, env, sink);
  }

  private locate(partition: number): [RDD<T>, number] {
    for (let i = this.parents.length - 1; i >= 0; i--) {
      if (partition >= this.starts[i]!) return [this.parents[i]!, partition - this.starts[i]!];
    }
    throw new Error(`partition ${partition} out of range for ${this.id}`);
  }
}
