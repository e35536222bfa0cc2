import { concatMap, from, Subject, type Subscription } from 'rxjs';
import type { BatchInfo, OutputOperationInfo, StreamInputInfo } from '../listener/batch-info.js';
import type { ListenerBus } from '../listener/listener-bus.js';
import type { Job, JobSet } from './job.js';
import { TaskFailedError } from './task-failed-error.js';

export interface JobSchedulerHooks {
  /** After a batch: free its blocks, forget its RDDs, tell executors. */
  batchFinished(time: number): void;
  log(line: string): void;
}

/**
 * Runs batches one after another (Spark's concurrentJobs = 1): a batch starts when the
 * previous one is done, so a slow batch shows up as scheduling delay of the next ones,
 * which is what the listeners and the UI report. Within a batch the output operations
 * run in the order they were declared. A failed job is reported to the listeners and
 * printed once; the stream goes on with the next batch.
 */
export class JobScheduler {
  private readonly queue = new Subject<JobSet>();
  private readonly subscription: Subscription;
  private pending = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];
  readonly completedBatches: BatchInfo[] = [];
  readonly runningBatches = new Map<number, BatchInfo>();

  constructor(
    private readonly bus: ListenerBus,
    private readonly inputInfo: (time: number) => Record<number, StreamInputInfo>,
    private readonly hooks: JobSchedulerHooks,
    private readonly retainedBatches: number,
    /** Batches submitted and not finished (queued or running) before roomForBatch waits. */
    readonly maxQueuedBatches: number = Number.POSITIVE_INFINITY,
  ) {
    this.subscription = this.queue.pipe(concatMap((set) => from(this.runJobSet(set)))).subscribe();
  }

  submitJobSet(set: JobSet): void {
    const info = this.newBatchInfo(set);
    this.runningBatches.set(set.batchTime, info);
    this.pending++;
    this.bus.post({ type: 'onBatchSubmitted', payload: { batchInfo: { ...info } } });
    this.queue.next(set);
  }

  get pendingBatches(): number {
    return this.pending;
  }

  /** True when the job queue holds its bound: the next batch must wait (roomForBatch). */
  get full(): boolean {
    return this.pending >= this.maxQueuedBatches;
  }

  /**
   * Resolves when one more batch may be submitted within maxQueuedBatches, or when the
   * scheduler stops (then `stopped` is true and nothing should be submitted).
   */
  roomForBatch(): Promise<void> {
    if (!this.full || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Resolves when every submitted batch has finished. */
  whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.roomWaiters.splice(0)) w();
    this.subscription.unsubscribe();
    this.queue.complete();
  }

  private async runJobSet(set: JobSet): Promise<void> {
    const info = this.runningBatches.get(set.batchTime)!;
    info.processingStartTime = Date.now();
    info.schedulingDelay = info.processingStartTime - info.submissionTime;
    this.bus.post({ type: 'onBatchStarted', payload: { batchInfo: { ...info } } });
    for (const job of set.jobs) await this.runJob(job, info.outputOperationInfos[job.outputOp]!);
    info.processingEndTime = Date.now();
    info.processingDelay = info.processingEndTime - info.processingStartTime;
    info.totalDelay = info.schedulingDelay + info.processingDelay;
    this.runningBatches.delete(set.batchTime);
    this.completedBatches.push(info);
    if (this.completedBatches.length > this.retainedBatches) this.completedBatches.shift();
    try {
      this.hooks.batchFinished(set.batchTime);
    } finally {
      this.bus.post({ type: 'onBatchCompleted', payload: { batchInfo: { ...info } } });
      this.pending--;
      if (this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
      // One batch out, one in: the waiting tick (there is at most one: ticks run in order).
      if (!this.full) this.roomWaiters.shift()?.();
    }
  }

  private async runJob(job: Job, op: OutputOperationInfo): Promise<void> {
    op.startTime = Date.now();
    this.bus.post({ type: 'onOutputOperationStarted', payload: { outputOperationInfo: { ...op } } });
    try {
      await job.run();
    } catch (err) {
      const failure = err instanceof TaskFailedError ? err.failure : null;
      op.failure = failure;
      op.failureReason = failure ? `${failure.message}\n${failure.stack}` : String((err as Error)?.stack ?? err);
      this.hooks.log(
        `batch ${job.batchTime}: output operation ${job.outputOp} (${job.name} at ${job.callSite}) failed: ` +
          `${(err as Error)?.message ?? err}` +
          (failure?.stack ? `\n${indent(failure.stack)}` : ''),
      );
    }
    op.endTime = Date.now();
    this.bus.post({ type: 'onOutputOperationCompleted', payload: { outputOperationInfo: { ...op } } });
  }

  private newBatchInfo(set: JobSet): BatchInfo {
    const ops: Record<number, OutputOperationInfo> = {};
    for (const job of set.jobs) {
      ops[job.outputOp] = {
        batchTime: set.batchTime,
        id: job.outputOp,
        name: job.name,
        description: job.callSite,
        startTime: null,
        endTime: null,
        failureReason: null,
        failure: null,
      };
    }
    const streamIdToInputInfo = this.inputInfo(set.batchTime);
    let numRecords = 0;
    for (const i of Object.values(streamIdToInputInfo)) numRecords += i.numRecords;
    return {
      batchTime: set.batchTime,
      streamIdToInputInfo,
      submissionTime: set.submissionTime,
      processingStartTime: null,
      processingEndTime: null,
      outputOperationInfos: ops,
      numRecords,
      schedulingDelay: null,
      processingDelay: null,
      totalDelay: null,
      ...(set.tickDelay !== undefined ? { tickDelay: set.tickDelay } : {}),
    };
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
