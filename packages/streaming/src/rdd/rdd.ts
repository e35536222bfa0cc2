import type { CheckpointCut } from '../checkpoint/checkpoint-cut.js';
import type { Dependency } from './dependency.js';
import { currentScope, nextRddId } from './rdd-scope.js';
import { StorageLevel } from './storage-level.js';
import type { TaskEnv } from './task-env.js';

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

  // ---- persistence ----------------------------------------------------------------------

  private level: StorageLevel = StorageLevel.NONE;

  get storageLevel(): StorageLevel {
    return this.level;
  }

  /**
   * Keeps this RDD's partitions where they are computed, so that later reads (another
   * action, the next batch's window or state) take them from there instead of computing
   * them again. Returns this RDD. Like Spark, the level is set once: persisting an RDD
   * again with another level is an error.
   */
  persist(level: StorageLevel = StorageLevel.MEMORY_ONLY): this {
    if (this.level !== StorageLevel.NONE && this.level !== level) {
      throw new Error(`RDD ${this.id} is already persisted as ${this.level}; it cannot be persisted again as ${level}`);
    }
    this.level = level;
    return this;
  }

  /** persist() at MEMORY_ONLY. */
  cache(): this {
    return this.persist(StorageLevel.MEMORY_ONLY);
  }

  /**
   * The records of one partition, as every reader of a partition gets them (a child RDD,
   * a shuffle's map side, a task): from the task environment's cache when this RDD is
   * persisted and the partition is kept where the task runs; otherwise computed, and kept
   * if persisted. Never call a parent's compute() directly.
   */
  async iterator(partition: number, env: TaskEnv): Promise<T[]> {
    if (this.level === StorageLevel.NONE) return this.compute(partition, env);
    // The kept array is never handed out itself: partition functions get the records as
    // an array they may reorder or fill (sort, push), so each reader gets its own copy
    // (of the references: records themselves are shared, as Spark shares deserialized
    // objects at MEMORY_ONLY).
    const cached = env.getCachedPartition(this.id, partition);
    if (cached !== undefined) return cached.slice() as T[];
    const records = await this.compute(partition, env);
    env.putCachedPartition(this.id, partition, records);
    return records.slice();
  }

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

  /**
   * The chunked counterpart of iterator(): what chunked readers (element-wise children,
   * folding actions, a shuffle's map side) call. A persisted partition comes whole, from
   * the cache or computed and kept (a kept partition is held anyway); otherwise the
   * partition streams from computeChunks.
   */
  async *chunks(partition: number, env: TaskEnv): AsyncGenerator<T[]> {
    if (this.level === StorageLevel.NONE) {
      yield* this.computeChunks(partition, env);
      return;
    }
    yield await this.iterator(partition, env);
  }

  /**
   * Hands the records of a partition to `sink` one at a time, in order. Readers that
   * consume records one by one (a shuffle's map side) use it: a chain of map, flatMap and
   * filter over a block then runs record by record, never building the arrays in
   * between. This default takes the partition's chunks (so persisted partitions are
   * kept and reused, and a chunked source is read a chunk at a time); RDDs that can
   * stream record by record override it.
   */
  async forEachRecord(partition: number, env: TaskEnv, sink: (record: T) => void): Promise<void> {
    for await (const chunk of this.chunks(partition, env)) {
      for (let i = 0; i < chunk.length; i++) sink(chunk[i]!);
    }
  }

  /** The lineage as text, one RDD a line, for debugging. */
  toDebugString(indent = ''): string {
    const persisted = this.level === StorageLevel.NONE ? '' : ` ${this.level}`;
    const head = `${indent}(${this.numPartitions}) ${this.name} [${this.id}]${persisted}`;
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
