import { isAbsolute, resolve } from 'node:path';
import { ExecutorPool } from '@sluice/executor';
import {
  importJobModule,
  LocalBackend,
  ManualClock,
  parseDuration,
  parseMaster,
  StreamingContext,
  type Duration,
  type StreamingConfInput,
  type StreamingJob,
  type TaskBackend,
} from '@sluice/streaming/internal';
import { collectedOutputs, type CollectedBatches } from './collect-output.js';

export interface StreamingTestOptions {
  /** Batches to run; batch i (from 1) has time i x batchDuration. */
  numBatches: number;
  /** Default 1s. Nothing waits for it: the clock is manual. */
  batchDuration?: Duration;
  /** 'local[N]' (default 'local[2]'), 'local', or 'executors' (executor processes: needs `jobModule`). */
  master?: string;
  /** master 'executors': how many processes (default 1). */
  executors?: number;
  /** Any other setting (defaultParallelism, ...). */
  conf?: StreamingConfInput;
  /** Engine log lines (default: kept, and shown in the error if a batch fails). */
  log?: (line: string) => void;
  /** A batch that has not finished after this long fails the run (default 30 s). */
  batchTimeoutMs?: number;
}

export interface StreamingJobSource {
  /**
   * The function that builds the graph (inputs with testInputStream, outputs with
   * collectOutput). Local mode runs it twice: for the driver and for the tasks' replay.
   */
  job?: StreamingJob;
  /**
   * Or a job module exporting it (`export default function job(ssc, args)`), as
   * `sluice submit` takes it: what executor processes need, since they load the job.
   */
  jobModule?: string;
  args?: string[];
}

export interface StreamingTestRun {
  /** For each collectOutput call, in order: the records of each of its batches. */
  outputs: CollectedBatches<unknown>[];
  /** Times of the batches that ran. */
  batchTimes: number[];
}

/**
 * Runs a job on a manual clock: starts it (local mode by default), then advances the
 * clock one batch at a time, waiting for each batch to finish before the next, and stops
 * it. Returns what each collectOutput stream produced per batch. Deterministic: the
 * batch times, what each batch reads and the partitioning do not depend on timing.
 * A failed output operation fails the run with the engine's error.
 */
export async function runStreamingJob(source: StreamingJobSource, options: StreamingTestOptions): Promise<StreamingTestRun> {
  const batchMs = parseDuration(options.batchDuration ?? '1s', 'batch duration');
  const master = options.master ?? 'local[2]';
  const parsed = parseMaster(master);
  if (parsed.kind === 'k8s') throw new Error('runStreamingJob runs tasks locally or on executor processes; k8s:// masters are for sluice submit');
  const args = source.args ?? [];
  const jobModule = source.jobModule ? (isAbsolute(source.jobModule) ? source.jobModule : resolve(source.jobModule)) : undefined;
  const job = source.job ?? (jobModule ? await importJob(jobModule) : undefined);
  if (!job) throw new Error('runStreamingJob needs a job function or a job module');
  if (parsed.kind === 'executors' && !jobModule) {
    throw new Error("master 'executors' needs a jobModule: executor processes load the job from its module");
  }
  const logs: string[] = [];
  const log = options.log ?? ((line: string) => void logs.push(line));
  const backend: TaskBackend =
    parsed.kind === 'executors'
      ? new ExecutorPool({ log })
      : new LocalBackend({ cores: parsed.cores, job: source.job });
  const clock = new ManualClock();
  const ssc = new StreamingContext(
    { executors: options.executors ?? 1, ...options.conf, master, batchDuration: batchMs, blockInterval: batchMs },
    { backend, clock, jobModule, jobArgs: args, log },
  );
  const failures: string[] = [];
  const finished = new BatchCompletions();
  ssc.addStreamingListener({
    onOutputOperationCompleted: ({ outputOperationInfo: op }) => {
      if (op.failureReason !== null) failures.push(`batch ${op.batchTime}: ${op.name} (${op.description}) failed: ${op.failureReason}`);
    },
    onBatchCompleted: ({ batchInfo }) => finished.done(batchInfo.batchTime),
  });
  const batchTimes: number[] = [];
  try {
    await job(ssc, args);
    await ssc.start();
    for (let i = 1; i <= options.numBatches; i++) {
      const time = ssc.graph.zeroTime + i * batchMs;
      await clock.advance(batchMs);
      await finished.waitFor(time, options.batchTimeoutMs ?? 30_000);
      batchTimes.push(time);
    }
  } finally {
    await ssc.stop();
  }
  if (failures.length > 0) {
    const context = logs.length > 0 ? `\nengine log:\n${logs.join('\n')}` : '';
    throw new Error(`${failures.length} output operation(s) failed:\n${failures.join('\n')}${context}`);
  }
  return { outputs: collectedOutputs(ssc.graph), batchTimes };
}

async function importJob(path: string): Promise<StreamingJob> {
  const mod = await importJobModule(path);
  const job = mod.default ?? mod.job;
  if (typeof job !== 'function') throw new Error(`${path} must export its job: \`export default function job(ssc, args) { ... }\``);
  return job as StreamingJob;
}

/** Batch completions, waited for by time. */
class BatchCompletions {
  private readonly completed = new Set<number>();
  private readonly waiters = new Map<number, () => void>();

  done(time: number): void {
    this.completed.add(time);
    this.waiters.get(time)?.();
  }

  waitFor(time: number, timeoutMs: number): Promise<void> {
    if (this.completed.has(time)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`batch ${time} did not finish within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.set(time, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
