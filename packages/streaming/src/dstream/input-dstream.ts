import type { StreamInputInfo } from '../listener/batch-info.js';
import type { InputRDD } from '../rdd/input-rdd.js';
import { currentScope } from '../rdd/rdd-scope.js';
import { DStream } from './dstream.js';
import type { DStreamGraph } from './dstream-graph.js';

/**
 * A stream at the edge of the graph. On the driver it turns what arrived for a batch into
 * an InputRDD; on an executor it rebuilds that RDD from the driver's descriptor.
 */
export abstract class InputDStream<T> extends DStream<T> {
  readonly dependencies: DStream<unknown>[] = [];

  protected constructor(graph: DStreamGraph) {
    super(graph);
    graph.addInput(this);
  }

  /** The id its RDD of batch `time` gets: the first RDD created in this stream's scope. */
  rddIdFor(time: number): string {
    return `d${this.id}.0@${time}`;
  }

  /**
   * Only the kind of input: executors never open the source, and its address may differ
   * there (a port the driver picked, a server only the driver starts).
   */
  override get signatureName(): string {
    return this.constructor.name;
  }

  override signatureDetail(): string[] {
    return [];
  }

  override getOrCompute(time: number): InputRDD<T> {
    const rdd = super.getOrCompute(time) as InputRDD<T>;
    currentScope().inputsUsed?.set(rdd.id, rdd.descriptor());
    return rdd;
  }

  protected compute(time: number): InputRDD<T> {
    if (this.graph.mode === 'driver') return this.computeOnDriver(time);
    const descriptor = currentScope().inputs?.get(this.rddIdFor(time));
    if (descriptor === undefined) {
      throw new Error(`no input metadata for ${this.toString()} at ${time}: the driver did not send it with the task`);
    }
    return this.restore(time, descriptor);
  }

  /** Driver: the RDD of what arrived for batch `time`. */
  protected abstract computeOnDriver(time: number): InputRDD<T>;
  /** Executor: the same RDD, from its descriptor. */
  protected abstract restore(time: number, descriptor: unknown): InputRDD<T>;

  /**
   * Driver: called before batch `time` is generated, for sources that must ask something
   * asynchronously first (the Kafka direct stream fetches the latest offsets here).
   * Generation itself is synchronous, so everything compute needs is fetched now.
   */
  prepareBatch(_time: number): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Driver: what batch `time` holds, for BatchInfo (records, offsets...). Receiver streams
   * are counted by the block tracker; other inputs say it here.
   */
  inputInfo(_time: number): StreamInputInfo | null {
    return null;
  }

  // ---- metadata checkpoints (see checkpoint/metadata-checkpoint.ts) --------------------

  /**
   * Driver: what a restarted driver needs to build this stream's RDD of batch `time` again
   * (JSON: Kafka offset ranges, write-ahead log positions), or null if nothing can.
   */
  checkpointBatch(_time: number): unknown {
    return null;
  }

  /**
   * Driver: whether `batchInput` (what checkpointBatch returned) lets a restarted driver read
   * the batch's records again. Only then does the batch wait for its metadata checkpoint
   * before its jobs run: a batch whose records cannot be read again gains nothing from it.
   */
  isReplayable(_batchInput: unknown): boolean {
    return false;
  }

  /** Driver: the source's position beyond single batches (JSON), or null. */
  checkpointState(): unknown {
    return null;
  }

  /**
   * Driver, restarting from a metadata checkpoint (before the batch clock restarts): takes
   * back the position and the batches a restart reruns or recomputes. Returns a line for
   * the log saying what was restored and what could not be.
   */
  recover(_state: unknown, batches: Map<number, unknown>, _pendingTimes: readonly number[] = []): Promise<string> {
    return Promise.resolve(
      batches.size > 0 ? `${this.toString()}: its batches cannot be rebuilt after a restart (the source keeps nothing); they are empty` : `${this.toString()}: nothing to restore`,
    );
  }

  // ---- backpressure (docs/flow-control.md) ------------------------------------------

  /** Driver: whether backpressure can set how fast this input takes in records. */
  get rateControllable(): boolean {
    return false;
  }

  /**
   * Driver, backpressure: take in about `recordsPerSecond` from the next batch on (limits
   * of the source itself, such as maxRatePerPartition, still cap it). Receiver streams get
   * theirs through the receiver tracker, which knows where their receivers run.
   */
  publishRate(_recordsPerSecond: number): void {}

  /** Driver: opens the source (receivers are started by the receiver tracker instead). */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}
