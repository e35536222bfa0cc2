import { createHash } from 'node:crypto';
import { serialize } from 'node:v8';
import type { CheckpointCut } from '../checkpoint/checkpoint-cut.js';
import type { Broadcast, BroadcastValue } from '../broadcast/broadcast.js';
import type { RDD } from '../rdd/rdd.js';
import type { DStream } from './dstream.js';
import { encodeSignature, type SignatureEntry } from './graph-signature.js';
import type { InputDStream } from './input-dstream.js';
import type { OutputDStream } from './output-dstream.js';

/**
 * All the DStreams of an application, in construction order. The same job module builds
 * the same graph on the driver and on each executor; `mode` says which side this is.
 * On an executor no source is opened: input streams only rebuild their RDDs from the
 * metadata the driver sends.
 */
export class DStreamGraph {
  private readonly streams: DStream<unknown>[] = [];
  readonly inputs: InputDStream<unknown>[] = [];
  readonly outputs: OutputDStream<unknown>[] = [];
  private frozen = false;
  /** Where checkpoints go: ssc.checkpoint(dir), or a per-application temp dir (checkpoint/). */
  checkpointDir: string | null = null;
  private rememberMs: number | null = null;
  /** Driver: the data checkpoints written per stream, oldest first (see checkpointer.ts). */
  private readonly cuts = new Map<number, CheckpointCut[]>();
  /**
   * Driver, with metadata checkpoints: data checkpoints no longer in use, whose files may
   * only go once a metadata checkpoint that no longer names them is on disk (a driver
   * killed before that restarts from one that still does). Null: delete at once.
   */
  retiredDataCheckpoints: CheckpointCut[] | null = null;
  /**
   * The time before the first batch (Spark's zeroTime): a stream's RDDs come at zeroTime
   * plus multiples of its slide. The driver sets it when the batch clock starts; an
   * executor learns it from the tasks it runs.
   */
  private zero = Number.NaN;

  constructor(
    readonly mode: 'driver' | 'executor',
    readonly batchDurationMs: number,
  ) {}

  /** Broadcast values (ssc.broadcast), in construction order. */
  readonly broadcasts: Broadcast<unknown>[] = [];

  /** Driver, as batch `time` is generated: the broadcast values its tasks carry. */
  snapshotBroadcasts(time: number): BroadcastValue[] {
    return this.broadcasts.map((b) => b.snapshot(time));
  }

  /** parallelize() RDDs, with a hash of their records for the fingerprint. */
  private readonly statics: { rdd: RDD<unknown>; hash: string }[] = [];

  /** Registers a static RDD built by `make(index)`, in construction order like streams. */
  addStaticRDD<T>(records: readonly T[], make: (index: number) => RDD<T>): RDD<T> {
    if (this.frozen) throw new Error('parallelize() must be called while the graph is built (in the job function)');
    const rdd = make(this.statics.length);
    const hash = createHash('sha1').update(serialize(records)).digest('hex').slice(0, 16);
    this.statics.push({ rdd, hash });
    return rdd;
  }

  register(stream: DStream<unknown>): number {
    if (this.frozen) {
      throw new Error('cannot add new DStreams, inputs or output operations after the StreamingContext has started');
    }
    this.streams.push(stream);
    return this.streams.length - 1;
  }

  addInput(stream: InputDStream<unknown>): void {
    this.inputs.push(stream);
  }

  /** Returns the output operation's index: its id among output operations. */
  addOutput(stream: OutputDStream<unknown>): number {
    this.outputs.push(stream);
    return this.outputs.length - 1;
  }

  get size(): number {
    return this.streams.length;
  }

  stream(id: number): DStream<unknown> {
    const s = this.streams[id];
    if (!s) throw new Error(`no DStream with id ${id}: the job module built a different graph here`);
    return s;
  }

  freeze(): void {
    if (this.outputs.length === 0) {
      throw new Error('no output operations registered, so nothing to execute (add print(), foreachRDD(), ...)');
    }
    if (this.frozen) return;
    this.frozen = true;
    // Remember durations flow from the outputs up: each stream keeps what the streams
    // below it read again. Driver and executors compute the same values from the same graph.
    for (const o of this.outputs) o.rememberAtLeast(this.rememberMs ?? 0);
  }

  /**
   * Every stream keeps its RDDs for at least `durationMs` (Spark's
   * StreamingContext.remember), e.g. to slice() them from a foreachRDD.
   */
  remember(durationMs: number): void {
    if (this.frozen) throw new Error('remember() must be called before the StreamingContext starts');
    this.rememberMs = Math.max(this.rememberMs ?? 0, durationMs);
  }

  get zeroTime(): number {
    return this.zero;
  }

  /** Sets the zero time: the driver when its clock starts, an executor from a task. */
  setZeroTime(time: number): void {
    if (this.zero === time) return;
    if (!Number.isNaN(this.zero)) {
      throw new Error(`the stream's zero time is ${this.zero} here but ${time} in a task: driver and executor disagree`);
    }
    this.zero = time;
  }

  /**
   * Forgets what batch `time` no longer needs once it is done: each stream's RDDs older
   * than its remember duration. Returns them (their cached partitions can go too).
   */
  forget(time: number): RDD<unknown>[] {
    for (const b of this.broadcasts) b.forget(time);
    return this.streams.flatMap((s) => s.forget(time));
  }

  /**
   * The longest any input stream remembers: received blocks of batches older than this
   * are freed, and no sooner (a window may still read them).
   */
  maxInputRememberDurationMs(): number {
    let max = this.batchDurationMs;
    for (const i of this.inputs) max = Math.max(max, i.rememberDurationMs ?? i.slideDurationMs);
    return max;
  }

  /**
   * The latest batch time whose cached partitions nobody needs any more, after `forget(done)`
   * of finished batch `done`: the batches before the earliest one a stream still remembers
   * (a window or state remembers its parents' earlier batches), and at most `done`.
   */
  cachedBatchesDoneUpTo(done: number): number {
    let upTo = done;
    for (const s of this.streams) {
      const oldest = s.oldestRememberedTime();
      if (oldest !== undefined && oldest - 1 < upTo) upTo = oldest - 1;
    }
    return upTo;
  }

  /** Streams that are checkpointed (state, windows with an inverse function, checkpoint(interval)). */
  streamsToCheckpoint(): DStream<unknown>[] {
    return this.streams.filter((s) => s.checkpointIntervalSetMs !== null || s.mustCheckpoint);
  }

  /** Driver: the live list of stream `streamId`'s data checkpoints, oldest first. */
  dataCheckpointsOf(streamId: number): CheckpointCut[] {
    let list = this.cuts.get(streamId);
    if (!list) this.cuts.set(streamId, (list = []));
    return list;
  }

  /** Driver: every data checkpoint still on disk, for the metadata checkpoint. */
  allDataCheckpoints(): CheckpointCut[] {
    return [...this.cuts.values()].flat();
  }

  /** The graph's streams as `id:name`, as metadata checkpoints record them. */
  describeStreams(): string[] {
    return this.streams.map((s) => `${s.id}:${s.name}`);
  }

  /**
   * The graph's fingerprint, compared between the driver and each executor (see
   * graph-signature.ts): operators in order, their parents, user functions' sources and
   * parameters, and the parallelize() tables.
   */
  signature(): string {
    const entries: SignatureEntry[] = this.streams.map((s) => ({
      at: `DStream ${s.id}`,
      op: `${s.signatureName} <- [${s.dependencies.map((d) => d.id).join(', ')}]`,
      detail: s.signatureDetail(),
    }));
    this.statics.forEach((st, i) => entries.push({ at: `parallelize ${i}`, op: st.rdd.name, detail: [`records ${st.hash}`] }));
    return encodeSignature(entries);
  }
}
