import { cutKey, type CheckpointCut } from '../checkpoint/checkpoint-cut';
import { CheckpointReaderRDD } from '../checkpoint/checkpoint-reader-rdd';
import { v8Codec, type PartitionCodec } from '../checkpoint/partition-codec';
import type { RDD } from '../rdd/rdd';
import { currentScope, runInChildScope } from '../rdd/rdd-scope';
import type { DStreamGraph } from './dstream-graph';

/**
 * A discretized stream: a sequence of RDDs, one per batch. A DStream is a recipe: for a
 * batch time it produces that batch's RDD from its parents' RDDs (compute), and remembers
 * it for the other output operations of the same batch.
 *
 * Ids come from construction order in the job module, which the driver and every
 * executor run alike; that is how an executor finds "the map of DStream 4".
 *
 * The operators (map, reduceByKey, print, ...) are installed by dstream-operators.ts.
 */
export abstract class DStream<T> {
  readonly id: number;
  private readonly generated = new Map<number, RDD<T>>();

  protected constructor(readonly graph: DStreamGraph) {
    this.id = graph.register(this as DStream<unknown>);
  }

  abstract readonly dependencies: DStream<unknown>[];
  /** Operator name, for lineage printouts and the UI. */
  abstract readonly name: string;

  /** Produces this stream's RDD for batch `time`. Runs while the batch is generated. */
  protected abstract compute(time: number): RDD<T>;

  get slideDurationMs(): number {
    return this.graph.batchDurationMs;
  }

  /** This stream's RDD for `time`, computed once per batch and shared by all its users. */
  getOrCompute(time: number): RDD<T> {
    let rdd = this.generated.get(time);
    if (this.graph.mode === 'executor' && !(rdd instanceof CheckpointReaderRDD)) {
      // The driver cut the lineage at this batch: start from the checkpoint, not from the
      // stream's first batch.
      const cut = currentScope().inputs?.get(cutKey(this.id, time)) as CheckpointCut | undefined;
      if (cut) {
        rdd = runInChildScope(`d${this.id}`, () => new CheckpointReaderRDD(cut, this.checkpointCodec()), time);
        this.generated.set(time, rdd);
      }
    }
    if (!rdd) {
      rdd = runInChildScope(`d${this.id}`, () => this.compute(time), time);
      this.generated.set(time, rdd);
    }
    return rdd;
  }

  // ---- checkpointing (see checkpoint/) -------------------------------------------

  /** Set by checkpoint(interval); null: the default (recursive streams) or never. */
  checkpointIntervalSetMs: number | null = null;

  /**
   * Streams whose RDD depends on their own previous RDD (state, inverse-reduce windows):
   * they are checkpointed whether asked or not, or their lineage would grow forever.
   */
  get mustCheckpoint(): boolean {
    return false;
  }

  /** How this stream's partitions are written to checkpoint files and read back. */
  checkpointCodec(): PartitionCodec<T> {
    return v8Codec<T>();
  }

  /** The RDD this stream produced for `time`, if it did and still remembers it. */
  generatedAt(time: number): RDD<T> | undefined {
    return this.generated.get(time);
  }

  /** Drops remembered RDDs of batches up to `time`. */
  forget(time: number): void {
    for (const t of this.generated.keys()) if (t <= time) this.generated.delete(t);
  }

  toString(): string {
    return `${this.name}[${this.id}]`;
  }
}
