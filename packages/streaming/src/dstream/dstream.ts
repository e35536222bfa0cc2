import { cutKey, type CheckpointCut } from '../checkpoint/checkpoint-cut.js';
import { CheckpointReaderRDD } from '../checkpoint/checkpoint-reader-rdd.js';
import { v8Codec, type PartitionCodec } from '../checkpoint/partition-codec.js';
import type { RDD } from '../rdd/rdd.js';
import { currentScope, runInChildScope } from '../rdd/rdd-scope.js';
import { StorageLevel } from '../rdd/storage-level.js';
import { parseDuration, type Duration } from '../util/duration.js';
import type { DStreamGraph } from './dstream-graph.js';
import { functionSource } from './graph-signature.js';

/**
 * A discretized stream: a sequence of RDDs, one per slide. A DStream is a recipe: for a
 * batch time on its slide it produces that time's RDD from its parents' RDDs (compute),
 * and remembers it for as long as something downstream may read it again.
 *
 * Ids come from construction order in the job module, which the driver and every
 * executor run alike; that is how an executor finds "the map of DStream 4".
 *
 * The operators (map, reduceByKey, print, ...) are installed by dstream-operators.ts.
 */
export abstract class DStream<T> {
  readonly id: number;
  private readonly generated = new Map<number, RDD<T>>();
  /**
   * How long this stream keeps its RDDs (Spark's rememberDuration): set when the graph
   * is frozen, from what the streams below it need (a window over it needs its last
   * window's worth of RDDs), from `remember()` and from the graph's own remember duration.
   */
  private rememberMs: number | null = null;
  private persisted = false;

  protected constructor(readonly graph: DStreamGraph) {
    this.id = graph.register(this);
  }

  abstract readonly dependencies: DStream<unknown>[];
  /** Operator name, for lineage printouts and the UI. */
  abstract readonly name: string;

  /** Produces this stream's RDD for batch `time`. Runs while the batch is generated. */
  protected abstract compute(time: number): RDD<T>;

  /**
   * The interval between this stream's RDDs. Streams derived batch by batch have their
   * parent's; input streams the batch duration; windows their own slide.
   */
  get slideDurationMs(): number {
    return this.dependencies[0]?.slideDurationMs ?? this.graph.batchDurationMs;
  }

  /**
   * Marks every RDD this stream generates as persisted (Spark's DStream.persist): its
   * partitions are kept where they were computed, for the other output operations of the
   * batch and for windows over it, instead of being computed again.
   */
  persist(): this {
    this.persisted = true;
    return this;
  }

  /** persist(), as in Spark. */
  cache(): this {
    return this.persist();
  }

  get isPersisted(): boolean {
    return this.persisted;
  }

  /**
   * Keeps this stream's RDDs for at least `duration` after their batch, so that slice()
   * can still reach them (Spark's remember). Call it while building the graph.
   */
  remember(duration: Duration): this {
    this.rememberAtLeast(parseDuration(duration, 'remember duration'));
    return this;
  }

  /** Remember duration in ms, once the graph is frozen (null before). */
  get rememberDurationMs(): number | null {
    return this.rememberMs;
  }

  /**
   * Keeps this stream's RDDs for at least `durationMs` (Spark's DStream.remember): what a
   * window below it, `remember()` or the context's `remember()` asks for. Passes its own
   * needs on to its parents.
   */
  rememberAtLeast(durationMs: number): void {
    const floor = this.minRememberDurationMs();
    const wanted = Math.max(durationMs, floor);
    if (this.rememberMs === null || wanted > this.rememberMs) this.rememberMs = wanted;
    for (const d of this.dependencies) d.rememberAtLeast(this.parentRememberDurationMs());
  }

  /**
   * The least a stream remembers: one slide. Streams that checkpoint keep more (Spark
   * keeps two checkpoint intervals) by overriding this.
   */
  protected minRememberDurationMs(): number {
    return this.slideDurationMs;
  }

  /** What this stream needs its parents to remember; a window adds its length. */
  protected parentRememberDurationMs(): number {
    return this.rememberMs ?? this.slideDurationMs;
  }

  /**
   * True if this stream has an RDD at `time`: a time after the graph's zero time, on this
   * stream's slide (Spark's isTimeValid). Output operations only run at such times.
   */
  isTimeValid(time: number): boolean {
    const zero = this.graph.zeroTime;
    return time > zero && (time - zero) % this.slideDurationMs === 0;
  }

  /** This stream's RDD for `time`, computed once and shared by all its users. */
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
      if (!this.isTimeValid(time)) {
        throw new Error(
          `${this.toString()} has no RDD at ${time}: its RDDs come every ${this.slideDurationMs} ms from ${this.graph.zeroTime}`,
        );
      }
      rdd = runInChildScope(`d${this.id}`, () => this.compute(time), time);
      if (this.persisted && rdd.storageLevel === StorageLevel.NONE) rdd.persist();
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

  /**
   * Driver, recovering from a metadata checkpoint: this stream's RDD at `cut.time` is the
   * data checkpoint it wrote before the restart, so its lineages start from the files.
   * Call within a scope (it creates the reader RDD).
   */
  restoreFromCheckpoint(cut: CheckpointCut): void {
    const rdd = runInChildScope(`d${this.id}`, () => new CheckpointReaderRDD(cut, this.checkpointCodec()), cut.time);
    this.generated.set(cut.time, rdd);
  }

  /** The RDD this stream produced for `time`, if it did and still remembers it. */
  generatedAt(time: number): RDD<T> | undefined {
    return this.generated.get(time);
  }

  /**
   * The RDDs of this stream from `fromTime` to `toTime`, both included (Spark's slice).
   * Times are rounded down onto the stream's slide; times before the stream's first RDD
   * are skipped. Use it inside transform() or foreachRDD(); RDDs older than the remember
   * duration are gone (see remember()).
   */
  slice(fromTime: number, toTime: number): RDD<T>[] {
    const zero = this.graph.zeroTime;
    if (!Number.isFinite(zero)) throw new Error(`${this.toString()}.slice(): the streaming context has not started`);
    const slide = this.slideDurationMs;
    const floor = (t: number) => zero + Math.floor((t - zero) / slide) * slide;
    const out: RDD<T>[] = [];
    for (let t = floor(fromTime); t <= floor(toTime); t += slide) if (t > zero) out.push(this.getOrCompute(t));
    return out;
  }

  /**
   * Forgets the RDDs no longer needed once batch `time` is done: those older than the
   * remember duration. Spark keeps one slide more than that; a finished batch's own RDD is
   * never read again unless something below remembers it, so Sluice drops it at once.
   */
  forget(time: number): RDD<T>[] {
    const keep = (this.rememberMs ?? this.slideDurationMs) - this.slideDurationMs;
    const dropped: RDD<T>[] = [];
    for (const [t, rdd] of this.generated) {
      if (t <= time - keep) {
        this.generated.delete(t);
        dropped.push(rdd);
      }
    }
    return dropped;
  }

  /** The earliest batch whose RDD this stream still remembers, if any. */
  oldestRememberedTime(): number | undefined {
    let oldest: number | undefined;
    for (const t of this.generated.keys()) if (oldest === undefined || t < oldest) oldest = t;
    return oldest;
  }

  /**
   * What the graph fingerprint holds of this stream besides its operator and parents:
   * the source of each user function and its parameters (see graph-signature.ts). By
   * default the functions among the stream's own fields (an update function, a foreachRDD
   * function); streams that wrap the user's function override it.
   */
  signatureDetail(): string[] {
    const out: string[] = [];
    for (const value of Object.values(this)) if (typeof value === 'function') out.push(functionSource(value));
    return out;
  }

  /** The operator as the fingerprint names it (input streams leave out their address). */
  get signatureName(): string {
    return this.name;
  }

  toString(): string {
    return `${this.name}[${this.id}]`;
  }
}
