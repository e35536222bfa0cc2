import type { DStream } from './dstream';
import type { InputDStream } from './input-dstream';
import type { OutputDStream } from './output-dstream';

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

  constructor(
    readonly mode: 'driver' | 'executor',
    readonly batchDurationMs: number,
  ) {}

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
    this.frozen = true;
  }

  /** Forgets the RDDs of batches up to `time` once they are done. */
  forget(time: number): void {
    for (const s of this.streams) s.forget(time);
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

  /** A fingerprint of the graph's shape, compared between driver and executors. */
  signature(): string {
    return this.streams.map((s) => `${s.id}:${s.name}`).join(',');
  }
}
