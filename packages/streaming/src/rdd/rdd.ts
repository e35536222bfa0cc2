import type { Dependency } from './dependency';
import { currentScope, nextRddId } from './rdd-scope';
import type { TaskEnv } from './task-env';

/**
 * A batch's data: an immutable, partitioned dataset with a lineage. An RDD never holds
 * its records on the driver (except the few that input RDDs bring with them): its
 * partitions are computed by tasks on executors, from its parents or from shipped input.
 *
 * The transformations and actions (map, reduceByKey, collect, ...) are installed by
 * rdd-operations.ts; see there.
 */
export abstract class RDD<T> {
  /** Stable across processes for the same batch: see rdd-scope.ts. */
  readonly id: string;
  readonly batchTime: number;

  protected constructor(id?: string) {
    this.id = id ?? nextRddId();
    this.batchTime = currentScope().batchTime;
  }

  abstract readonly numPartitions: number;
  abstract readonly dependencies: Dependency[];
  /** A short name for lineage printouts and the UI. */
  abstract readonly name: string;

  /** Computes one partition; runs inside a task on an executor. */
  abstract compute(partition: number, env: TaskEnv): Promise<T[]>;

  /**
   * The same partition as a sequence of chunks, for actions and shuffle writes that can
   * take it a piece at a time (see partition-chunks.ts). By default one chunk: the whole
   * partition. Input RDDs that read from outside (a Kafka offset range) yield as they
   * read, and element-wise transformations pass chunks through, so a task's memory is
   * bounded by a chunk rather than by its partition.
   */
  async *computeChunks(partition: number, env: TaskEnv): AsyncGenerator<T[]> {
    yield await this.compute(partition, env);
  }

  /** The lineage as text, one RDD a line, for debugging. */
  toDebugString(indent = ''): string {
    const head = `${indent}(${this.numPartitions}) ${this.name} [${this.id}]`;
    const rest = this.dependencies.map((d) =>
      d.rdd.toDebugString(indent + (d.kind === 'shuffle' ? ' +-' : ' | ')),
    );
    return [head, ...rest].join('\n');
  }
}

/** Every RDD in the lineage of `root`, each once, parents before children. */
export function lineage(root: RDD<unknown>): RDD<unknown>[] {
  const seen = new Map<string, RDD<unknown>>();
  const visit = (rdd: RDD<unknown>): void => {
    if (seen.has(rdd.id)) return;
    for (const dep of rdd.dependencies) visit(dep.rdd);
    seen.set(rdd.id, rdd);
  };
  visit(root);
  return [...seen.values()];
}
