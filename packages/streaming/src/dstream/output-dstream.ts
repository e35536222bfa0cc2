import type { JobRunner } from '../rdd/job-runner.js';
import type { RDD } from '../rdd/rdd.js';
import { runInScope } from '../rdd/rdd-scope.js';
import { DStream } from './dstream.js';
import { describeParameter } from './graph-signature.js';

export type ForeachRDDFunction<T> = (rdd: RDD<T>, time: number) => unknown;

/**
 * An output operation (foreachRDD and everything built on it: print, saveAsTextFiles,
 * count-to-sink...). Each batch it becomes one job: its function runs on the driver with
 * the batch's RDD, and the actions it calls run as tasks on the executors.
 *
 * On an executor the same function is called again with the rebuilt RDD, only to find the
 * action a task belongs to (see lineage-replay.ts).
 */
export class OutputDStream<T> extends DStream<T> {
  readonly dependencies: DStream<unknown>[];
  readonly outputOp: number;

  constructor(
    readonly parent: DStream<T>,
    private readonly fn: ForeachRDDFunction<T>,
    readonly name: string,
    /** Where the user called the operation, shown in the UI and in errors. */
    readonly callSite: string,
    /** What the fingerprint shows of it: the user's function, or print's count, say. */
    private readonly userArgs: unknown[] = [fn],
  ) {
    super(parent.graph);
    this.dependencies = [parent];
    this.outputOp = parent.graph.addOutput(this as OutputDStream<unknown>);
  }

  override signatureDetail(): string[] {
    return this.userArgs.map(describeParameter);
  }

  protected compute(time: number): RDD<T> {
    return this.parent.getOrCompute(time);
  }

  /** Calls the output function for batch `time` with `runner` running its actions. */
  runOutput(time: number, rdd: RDD<T>, runner: JobRunner): Promise<void> {
    return runInScope(
      { prefix: `o${this.outputOp}`, batchTime: time, runner, inputs: null, outputOp: this.outputOp },
      async () => {
        await this.fn(rdd, time);
      },
    );
  }
}

/** The user's file and line that created an operator, from the stack. */
export function callSiteOf(depth = 3): string {
  const lines = (new Error().stack ?? '').split('\n').slice(depth);
  const external = lines.find((l) => !l.includes('/packages/streaming/') && !l.includes('node:internal'));
  return (external ?? lines[0] ?? '').trim().replace(/^at\s+/, '');
}
