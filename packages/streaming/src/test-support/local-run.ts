// The operators are installed on the prototypes by these modules (as index.ts does).
import '../rdd/rdd-operations.js';
import '../dstream/dstream-operators.js';
import type { Observable } from 'rxjs';
import { StreamingContext } from '../context/streaming-context.js';
import type { StreamingConfInput } from '../context/conf.js';
import type { StreamingJob } from '../context/streaming-job.js';
import { LocalBackend } from '../scheduler/local-backend.js';
import type { ApplicationInfo, ExecutorEvent, TaskBackend, TaskOutcome, TaskSpec } from '../scheduler/task-backend.js';
import { ManualClock } from '../util/clock.js';

/** A backend that records every task it is given, then lets another one run it. */
export class RecordingBackend implements TaskBackend {
  readonly tasks: TaskSpec[] = [];

  constructor(private readonly inner: TaskBackend) {}

  get events$(): Observable<ExecutorEvent> {
    return this.inner.events$;
  }

  get totalCores(): number {
    return this.inner.totalCores;
  }

  start(app: ApplicationInfo): Promise<void> {
    return this.inner.start(app);
  }

  submit(task: TaskSpec, cancel?: AbortSignal): Promise<TaskOutcome> {
    this.tasks.push(task);
    return this.inner.submit(task, cancel);
  }

  batchDone(batchTime: number, cachedUpTo: number): void {
    this.inner.batchDone(batchTime, cachedUpTo);
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}

export interface LocalRunResult {
  tasks: TaskSpec[];
  /** "batch T op k: reason" for each output operation that failed. */
  failures: string[];
}

/**
 * Runs `job` in local mode on a manual clock for `batches` batches (times batchMs,
 * 2 x batchMs, ...), each to completion. The engine's own tests use it; users have
 * @sluice/testing.
 */
export async function runLocally(
  job: StreamingJob,
  options: { batches: number; batchMs?: number; cores?: number; conf?: StreamingConfInput; jobModule?: string },
): Promise<LocalRunResult> {
  const batchMs = options.batchMs ?? 1000;
  const cores = options.cores ?? 2;
  const clock = new ManualClock();
  const backend = new RecordingBackend(new LocalBackend({ cores, job: options.jobModule ? undefined : job }));
  const ssc = new StreamingContext(
    { batchDuration: batchMs, blockInterval: batchMs, master: `local[${cores}]`, ...options.conf },
    { backend, clock, jobModule: options.jobModule, log: () => {} },
  );
  const failures: string[] = [];
  const done = new Set<number>();
  const waiters = new Map<number, () => void>();
  const batchDone = (time: number) =>
    done.has(time) ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(time, resolve));
  ssc.addStreamingListener({
    onOutputOperationCompleted: ({ outputOperationInfo: op }) => {
      if (op.failureReason !== null) failures.push(`batch ${op.batchTime} op ${op.id}: ${op.failureReason}`);
    },
    onBatchCompleted: ({ batchInfo }) => {
      done.add(batchInfo.batchTime);
      waiters.get(batchInfo.batchTime)?.();
    },
  });
  try {
    await job(ssc, []);
    await ssc.start();
    for (let i = 1; i <= options.batches; i++) {
      await clock.advance(batchMs);
      await batchDone(i * batchMs);
    }
  } finally {
    await ssc.stop();
  }
  return { tasks: backend.tasks, failures };
}
