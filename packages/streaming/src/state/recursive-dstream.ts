import type { CheckpointCut } from '../checkpoint/checkpoint-cut.js';
import { addCheckpointer } from '../checkpoint/checkpointer.js';
import { DStream } from '../dstream/dstream.js';
import { ParallelCollectionRDD } from '../rdd/parallel-collection-rdd.js';
import type { Partitioner } from '../rdd/partitioner.js';
import type { RDD } from '../rdd/rdd.js';
import { currentScope } from '../rdd/rdd-scope.js';
import { EmptyInputRDD } from './empty-input-rdd.js';

/**
 * A stream whose RDD for batch T is built from its own RDD for T - slide (state streams,
 * inverse-reduce windows). Such lineages reach back to the first batch, so these streams
 * are always checkpointed (their default interval is Spark's, >= 10 s), and:
 *
 * - each RDD is persisted (its partitions stay on the executors that computed them, and
 *   the next batch's tasks read them there) and remembered for one slide more than other
 *   streams, so that its cached partitions are still there when the next batch reads them;
 * - the driver keeps, through the newest RDD, the lineage since the last checkpoint,
 *   input blocks included: what lost partitions are recomputed from after an executor dies;
 * - an executor's replay follows the stream back to the last checkpoint (the driver sends
 *   the cut with the task) or, before the first checkpoint, to the first batch, which it
 *   recognizes by the batch's initial-state RDD in the task's inputs.
 */
export abstract class RecursiveDStream<T, K, S> extends DStream<T> {
  protected constructor(
    readonly parent: DStream<unknown>,
    readonly partitioner: Partitioner,
    private readonly initialPairs: [K, S][] | null,
  ) {
    super(parent.graph);
  }

  override get mustCheckpoint(): boolean {
    return true;
  }

  /** The previous batch's RDD must outlive its batch: the next one reads its cached partitions. */
  protected override minRememberDurationMs(): number {
    return 2 * this.slideDurationMs;
  }

  /** Subclasses call this last in their constructor (the checkpoint job reads this stream). */
  protected enableCheckpoints(): void {
    addCheckpointer(this);
  }

  /** This stream's RDD of the previous batch, or null if `time` is its first batch. */
  protected previous(time: number): RDD<T> | null {
    const prevTime = time - this.slideDurationMs;
    if (this.graph.mode === 'driver') {
      // The first batch is the first time on the slide after the zero time (also after a
      // restart, which keeps the zero time of the checkpoint).
      if (prevTime <= this.graph.zeroTime) return null;
      return this.getOrCompute(prevTime);
    }
    const inputs = currentScope().inputs;
    if (inputs?.has(this.initialRddId(time))) return null;
    // RDDs this executor still remembers from earlier batches link back to its own
    // earlier replays: those the driver has cut since are cut here too, so the chain ends
    // at the checkpoint (and what is behind it can be collected).
    const prefix = `cut:d${this.id}@`;
    for (const [key, value] of inputs ?? []) {
      if (!key.startsWith(prefix)) continue;
      const cut = value as CheckpointCut;
      const remembered = this.generatedAt(cut.time);
      if (remembered && !remembered.checkpointCut) remembered.markCheckpointed(cut);
    }
    return this.getOrCompute(prevTime);
  }

  /** The initial state's pairs, partitioned by the state's partitioner (first batch). */
  protected initialStateRDD(time: number): RDD<[K, S]> {
    const n = this.partitioner.numPartitions;
    const id = this.initialRddId(time);
    if (!this.initialPairs) return new EmptyInputRDD<[K, S]>(n, id);
    const pairs = this.graph.mode === 'driver' ? this.initialPairs : null;
    return new ParallelCollectionRDD<[K, S]>(pairs, n, id).partitionBy(this.partitioner);
  }

  private initialRddId(time: number): string {
    return `d${this.id}.init@${time}`;
  }
}
