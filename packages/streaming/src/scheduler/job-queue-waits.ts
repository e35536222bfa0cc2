/** Lines about a full job queue at most this often, so an overloaded job does not flood the log. */
const REPORT_EVERY_MS = 10_000;

/**
 * Counts the times the batch clock waited because the job queue held maxQueuedBatches
 * unfinished batches, and says so in the log: the first wait at once, then a summary at
 * most every REPORT_EVERY_MS. The waiting batches keep their times and are generated
 * late (their BatchInfo.tickDelay shows by how much); none is skipped.
 */
export class JobQueueWaits {
  count = 0;
  totalWaitMs = 0;
  maxWaitMs = 0;
  private unreported = 0;
  private unreportedMax = 0;
  private lastReport = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly maxQueuedBatches: number,
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  waited(time: number, waitMs: number): void {
    this.count++;
    this.totalWaitMs += waitMs;
    this.maxWaitMs = Math.max(this.maxWaitMs, waitMs);
    this.unreported++;
    this.unreportedMax = Math.max(this.unreportedMax, waitMs);
    const now = this.now();
    if (now - this.lastReport < REPORT_EVERY_MS) return;
    this.log(
      (this.unreported === 1
        ? `job queue full: ${this.maxQueuedBatches} batches not finished (maxQueuedBatches); the batch of ${time} waited ${waitMs} ms to be generated`
        : `job queue full ${this.unreported} times since the last report (maxQueuedBatches ${this.maxQueuedBatches}), batches waited up to ${this.unreportedMax} ms to be generated`) +
        '; the sources are held back meanwhile. The job does not keep up: see docs/flow-control.md (backpressure) and docs/tuning.md',
    );
    this.lastReport = now;
    this.unreported = 0;
    this.unreportedMax = 0;
  }
}
