import type { CheckpointCut } from '../checkpoint/checkpoint-cut';
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

  /**
   * Set on the driver once this RDD's partitions are saved by a checkpoint: every lineage
   * stops here from then on (see checkpoint/checkpoint-cut.ts).
   */
  checkpointCut: CheckpointCut | null = null;

  /**
   * The driver marks an RDD as checkpointed once all its partitions are written; the
   * RDD lets go of its parents then, so the driver's memory of a recursive lineage (and
   * the input blocks in it) is bounded by the checkpoint interval.
   */
  markCheckpointed(cut: CheckpointCut): void {
    this.checkpointCut = cut;
    this.releaseParents();
  }

  /** Recursive RDDs (state, inverse windows) drop their references to their parents. */
  protected releaseParents(): void {}

  abstract readonly numPartitions: number;
  abstract readonly dependencies: Dependency[];
  /** A short name for lineage printouts and the UI. */
  abstract readonly name: string;

  /** Computes one partition; runs inside a task on an executor. */
  abstract compute(partition: number, env: TaskEnv): Promise<T[]>;

  /** The lineage as text, one RDD a line, for debugging. */
  toDebugString(indent = ''): string {
    const head = `${indent}(${this.numPartitions}) ${this.name} [${this.id}]`;
    if (this.checkpointCut) return `${head}\n${indent} | checkpoint ${this.checkpointCut.dir}`;
    const rest = this.dependencies.map((d) =>
      d.rdd.toDebugString(indent + (d.kind === 'shuffle' ? ' +-' : ' | ')),
    );
    return [head, ...rest].join('\n');
  }
}

/** Every RDD in the lineage of `root` (up to checkpoints), each once, parents before children. */
export function lineage(root: RDD<unknown>): RDD<unknown>[] {
  const seen = new Map<string, RDD<unknown>>();
  const visit = (rdd: RDD<unknown>): void => {
    if (seen.has(rdd.id)) return;
    if (!rdd.checkpointCut) for (const dep of rdd.dependencies) visit(dep.rdd);
    seen.set(rdd.id, rdd);
  };
  visit(root);
  return [...seen.values()];
}
