import { Subject } from 'rxjs';
import { confAsInput, executorEnvOf, type StreamingConf } from '../context/conf.js';
import { StreamingContext } from '../context/streaming-context.js';
import { importJobModule } from '../context/import-job-module.js';
import { diffGraphSignatures } from '../dstream/graph-signature.js';
import type { StreamingJob } from '../context/streaming-job.js';
import { PartitionCache, type CachedPartitionId } from '../storage/partition-cache.js';
import { ShuffleOutputStore } from '../storage/shuffle-output-store.js';
import { FetchFailedError } from './fetch-failed-error.js';
import { LineageReplayer } from './lineage-replay.js';
import { LocalTaskEnv } from './local-task-env.js';
import type { ApplicationInfo, ExecutorEvent, TaskBackend, TaskOutcome, TaskSpec } from './task-backend.js';
import { runTask } from './task-runner.js';
import { originalStack } from '../util/original-stack.js';

export interface LocalBackendOptions {
  /** Tasks run at the same time (local[N]). */
  cores: number;
  /**
   * The job's graph-building function. Without it the backend loads the application's
   * job module, as an executor process would.
   */
  job?: StreamingJob;
}

/** The id tasks report in local mode, as Spark's local mode calls its one executor. */
export const LOCAL_EXECUTOR_ID = 'driver';

/**
 * Runs tasks inside the driver process (`master: 'local[N]'`), like Spark's
 * LocalSchedulerBackend. It lives in the engine, next to the scheduler it serves, because
 * it needs nothing but the engine: no processes, no sockets, no protocol.
 *
 * Everything else stays as with executor processes: the same JobGenerator and
 * DAGScheduler cut the same stages, and each task is found by lineage replay on a graph
 * of its own, built by running the job function again on an executor-mode context (from
 * the job module loaded afresh, so the module's top-level variables are not the
 * driver's). Tasks carry their input, shuffle buckets and results serialized as they
 * would be over the wire. So a job that works here only because of something that cannot
 * cross a process boundary (a graph that differs from run to run, module-level state the
 * driver changes and tasks read, an action inside transform(), a record that
 * v8.serialize cannot carry) fails here the way it would on executors.
 */
export class LocalBackend implements TaskBackend {
  private replayer: LineageReplayer | null = null;
  /** Persisted partitions, bounded as an executor's are (blockManagerMemory). */
  private cache = new PartitionCache({ maxBytes: 0 });
  /** Partitions evicted since the last task ended: reported with the next outcome. */
  private readonly evicted: CachedPartitionId[] = [];
  /** Shuffle map outputs, kept in the process as an executor keeps its own. */
  private readonly shuffles = new ShuffleOutputStore();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private stopped = false;
  private readonly events = new Subject<ExecutorEvent>();
  readonly events$ = this.events.asObservable();

  constructor(private readonly options: LocalBackendOptions) {
    if (!Number.isInteger(options.cores) || options.cores < 1) {
      throw new Error(`local mode needs a whole number of cores >= 1, got ${options.cores}`);
    }
  }

  get totalCores(): number {
    return this.options.cores;
  }

  async start(app: ApplicationInfo): Promise<void> {
    const conf = JSON.parse(app.confJson) as StreamingConf;
    // The job runs again here as the executor's would, with what setExecutorEnv gave executors.
    Object.assign(process.env, executorEnvOf(app.confJson));
    const ssc = new StreamingContext(confAsInput(conf), { mode: 'executor' });
    // What is kept and evicted is reported with each task, as executors do, so that the
    // driver knows what tasks read from the cache (and need not be sent the input below).
    this.cache = new PartitionCache({ maxBytes: conf.blockManagerMemoryBytes, onEvicted: (evicted) => this.evicted.push(...evicted) });
    const job = this.options.job ?? (await loadJobAfresh(app.jobModule));
    await job(ssc, app.jobArgs);
    if (ssc.state === 'initialized') await ssc.start();
    const difference = app.graphSignature === undefined ? null : diffGraphSignatures(app.graphSignature, ssc.graph.signature());
    if (difference !== null) {
      throw new Error(
        'the job function built a different DStream graph when it ran again: it must build the same graph every ' +
          `time it runs, as executors run it too (${difference.replace(/\bexecutor\b/g, 'again')})`,
      );
    }
    this.replayer = new LineageReplayer(ssc.graph);
    this.events.next({ type: 'added', executorId: LOCAL_EXECUTOR_ID, host: 'localhost', cores: this.options.cores });
  }

  async submit(task: TaskSpec, cancel?: AbortSignal): Promise<TaskOutcome> {
    if (this.stopped || !this.replayer) {
      return { ok: false, message: 'the streaming context is not running', stack: '', executorId: LOCAL_EXECUTOR_ID, lostExecutor: true };
    }
    await this.acquireCore();
    // A task of a cancelled job that waited for a core does not start. One already
    // running in this process cannot be stopped (no task threads in local mode).
    if (cancel?.aborted) {
      this.releaseCore();
      const reason = String(cancel.reason ?? 'its job was cancelled');
      return { ok: false, message: `TaskKilled: cancelled before it ran: ${reason}`, stack: '', executorId: LOCAL_EXECUTOR_ID, lostExecutor: false };
    }
    const started = performance.now();
    const env = new LocalTaskEnv(task, LOCAL_EXECUTOR_ID, this.cache, this.shuffles);
    try {
      const out = await runTask(this.replayer, task, env);
      if (task.shuffleId) this.shuffles.put(task.shuffleId, task.partition, out.shuffleBuckets);
      return {
        ok: true,
        result: out.result,
        mapStatus: task.shuffleId
          ? { executorId: LOCAL_EXECUTOR_ID, address: '', sizes: out.shuffleBuckets.map((b) => b.byteLength) }
          : null,
        cacheReport: { added: env.cached, removed: this.evicted.splice(0) },
        runMs: performance.now() - started,
        recordsRead: env.recordsRead,
        executorId: LOCAL_EXECUTOR_ID,
      };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      return {
        ok: false,
        message: `${error.name}: ${error.message}`,
        stack: originalStack(error.stack ?? ''),
        executorId: LOCAL_EXECUTOR_ID,
        lostExecutor: false,
        cacheReport: { added: env.cached, removed: this.evicted.splice(0) },
        ...(error instanceof FetchFailedError
          ? { fetchFailed: { shuffleId: error.shuffleId, mapPartition: error.mapPartition, executorId: error.executorId, message: error.message } }
          : {}),
      };
    } finally {
      this.releaseCore();
    }
  }

  batchDone(batchTime: number, cachedUpTo: number): void {
    this.cache.removeBatchesUpTo(cachedUpTo);
    this.shuffles.removeBatchesUpTo(cachedUpTo);
    this.replayer?.forgetBatch(batchTime);
  }

  stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.events.next({ type: 'removed', executorId: LOCAL_EXECUTOR_ID, reason: 'stopped' });
      this.events.complete();
    }
    return Promise.resolve();
  }

  private acquireCore(): Promise<void> {
    if (this.running < this.options.cores) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaseCore(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

/**
 * The job module's function from a fresh instance of the module (a query string makes
 * the loader evaluate it again), so module-level variables the driver changes are not
 * seen by tasks, as on an executor.
 */
async function loadJobAfresh(jobModule: string): Promise<StreamingJob> {
  if (!jobModule) throw new Error('local mode needs the job module or the job function to rebuild the graph for tasks');
  const mod = await importJobModule(jobModule, '?sluice-local-tasks');
  const job = mod.default ?? mod.job;
  if (typeof job !== 'function') throw new Error(`${jobModule} does not export a job function`);
  return job as StreamingJob;
}
