import type { DStreamGraph } from '../dstream/dstream-graph.js';
import type { StreamingEvent } from '../listener/streaming-listener.js';
import type { JobRunner } from '../rdd/job-runner.js';
import { runInScope } from '../rdd/rdd-scope.js';
import type { BlockTracking } from './block-tracking.js';
import { DAGScheduler } from './dag-scheduler.js';
import type { Job } from './job.js';
import type { JobScheduler } from './job-scheduler.js';
import type { ReceivedBlockTracker } from './received-block-tracker.js';
import type { TaskBackend } from './task-backend.js';
import type { BatchClock } from '../util/clock.js';
import { LateTicks } from './late-ticks.js';
import { JobQueueWaits } from './job-queue-waits.js';

const NO_ACTIONS_WHILE_GENERATING: JobRunner = {
  runJob: () =>
    Promise.reject(new Error('actions (collect, count, ...) cannot run inside transform(); use foreachRDD() for them')),
};

/**
 * The batch clock. The clock (timers set against absolute time, or a test's manual clock)
 * ticks every batch duration, aligned to multiples of it (batch times are round numbers, as in
 * Spark); each tick allocates the received blocks to the batch, generates one job per
 * output operation, and hands them to the scheduler.
 */
export class JobGenerator {
  private cancelTicks: (() => void) | null = null;
  private lastTime = -1;
  private stopped = false;
  /** Ticks that fired late (their batches keep their times). */
  readonly lateTicks: LateTicks;
  /** Times the clock waited for the job queue (maxQueuedBatches) to have room. */
  readonly queueWaits: JobQueueWaits;
  /** Called once a batch's jobs are generated, before they run: the metadata checkpoint. */
  onGenerated: ((time: number) => Promise<void>) | null = null;
  /** Batch generations under way (see whenGenerated). */
  private readonly generating = new Set<Promise<void>>();

  constructor(
    private readonly graph: DStreamGraph,
    private readonly blocks: ReceivedBlockTracker,
    private readonly receiverStreamIds: () => number[],
    private readonly scheduler: JobScheduler,
    private readonly backend: TaskBackend,
    private readonly log: (line: string) => void,
    private readonly clock: BatchClock,
    private readonly tracking: BlockTracking,
    private readonly post: (event: StreamingEvent) => void = () => {},
  ) {
    this.lateTicks = new LateTicks(graph.batchDurationMs, log);
    this.queueWaits = new JobQueueWaits(scheduler.maxQueuedBatches, log);
  }

  get lastBatchTime(): number {
    return this.lastTime;
  }

  start(): void {
    const period = this.graph.batchDurationMs;
    const first = (Math.floor(this.clock.now() / period) + 1) * period;
    this.graph.setZeroTime(first - period);
    this.cancelTicks = this.clock.scheduleBatches(
      first,
      period,
      (time) => this.generateBatch(time),
      (late) => this.lateTicks.report(late),
    );
  }

  /**
   * A driver restarted from a checkpoint: reruns the batches that were pending, then
   * generates every batch the clock would have ticked while the driver was down, one
   * batch time each (so each respects the sources' rate limits), then ticks on.
   */
  async restart(pendingTimes: number[], lastGeneratedTime: number): Promise<{ rerun: number; missed: number }> {
    const period = this.graph.batchDurationMs;
    this.stopped = false;
    // Pending batches are generated again: lastTime must not hide them.
    this.lastTime = -1;
    const rerun = pendingTimes.filter((t) => t <= lastGeneratedTime).sort((a, b) => a - b);
    for (const t of rerun) await this.generateBatch(t);
    let last = lastGeneratedTime;
    let missed = 0;
    // Until the clock has caught up (generating is quick: jobs are only queued).
    while (!this.stopped && last + period <= this.clock.now()) {
      last += period;
      await this.generateBatch(last);
      missed++;
    }
    if (!this.stopped) {
      const first = last + period;
      this.cancelTicks = this.clock.scheduleBatches(
      first,
      period,
      (time) => this.generateBatch(time),
      (late) => this.lateTicks.report(late),
    );
    }
    return { rerun: rerun.length, missed };
  }

  stop(): void {
    this.stopped = true;
    this.cancelTicks?.();
    this.cancelTicks = null;
  }

  /**
   * Resolves once every batch generation under way has submitted its jobs. A graceful
   * stop waits for it: a tick that was generating when the clock stopped (waiting for
   * its inputs or for room in the job queue) would otherwise submit its batch after the
   * stop had found the scheduler idle, and the last checkpoint would list it as pending.
   */
  async whenGenerated(): Promise<void> {
    while (this.generating.size > 0) await Promise.all([...this.generating]);
  }

  /** Waits for the clock to reach `time`, then generates that batch (a graceful stop's last batch). */
  async generateBatchWhenDue(time: number): Promise<void> {
    const waitMs = time - this.clock.now();
    // A long batch duration makes a stop wait noticeably: say what for.
    if (waitMs > 1000) this.log(`stopping: what was received since the last batch goes into batch ${time}, due in ${(waitMs / 1000).toFixed(1)} s`);
    await this.clock.sleepUntil(time);
    await this.generateBatch(time);
  }

  /** Generates the jobs of batch `time`. */
  async generateBatch(time: number): Promise<void> {
    const generation = this.generate(time);
    this.generating.add(generation);
    try {
      await generation;
    } finally {
      this.generating.delete(generation);
    }
  }

  private async generate(time: number): Promise<void> {
    if (time <= this.lastTime) return;
    this.lastTime = time;
    if (this.scheduler.full) {
      // The queue holds its bound: this batch (and the clock behind it) waits until one
      // finishes. Nothing is read for it meanwhile: receivers' blocks wait in the tracker
      // (their buffer bound pauses the sources), the Kafka direct stream reads later.
      const since = Date.now();
      await this.scheduler.roomForBatch();
      this.queueWaits.waited(time, Date.now() - since);
      if (this.scheduler.isStopped) return;
    }
    const tickDelay = Math.max(0, this.clock.now() - time);
    try {
      await Promise.all(this.graph.inputs.map((input) => input.prepareBatch(time)));
    } catch (err) {
      this.log(`batch ${time}: an input stream could not prepare the batch: ${(err as Error)?.message ?? err}`);
    }
    this.blocks.allocateBlocksToBatch(time, this.receiverStreamIds());
    const broadcasts = this.graph.snapshotBroadcasts(time);
    const jobs: Job[] = [];
    for (const output of this.graph.outputs) {
      // An output of a windowed stream runs only at the times on the window's slide.
      if (!output.isTimeValid(time)) continue;
      try {
        const inputsUsed = new Map<string, unknown>();
        const rdd = runInScope(
          { prefix: 'g', batchTime: time, runner: NO_ACTIONS_WHILE_GENERATING, inputs: null, inputsUsed, outputOp: -1 },
          () => output.getOrCompute(time),
        );
        jobs.push({
          batchTime: time,
          outputOp: output.outputOp,
          name: output.name,
          callSite: output.callSite,
          run: () =>
            output.runOutput(
              time,
              rdd,
              new DAGScheduler(this.backend, time, output.outputOp, this.graph.zeroTime, this.tracking, inputsUsed, this.post, broadcasts),
            ),
        });
      } catch (err) {
        this.log(`batch ${time}: could not generate the job of ${output.name} at ${output.callSite}: ${(err as Error)?.stack ?? String(err)}`);
      }
    }
    if (this.onGenerated) await this.onGenerated(time);
    this.scheduler.submitJobSet({ batchTime: time, jobs, submissionTime: Date.now(), tickDelay });
  }
}
