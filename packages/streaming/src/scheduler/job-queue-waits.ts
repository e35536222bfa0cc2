import { ThrottledReport } from './throttled-report.js';

/**
 * Says in the log when the batch clock waited because the job queue held
 * maxQueuedBatches unfinished batches: the first wait at once, then a summary at most
 * every 10 s. The waiting batches keep their times and are generated late (their
 * BatchInfo.tickDelay shows by how much); none is skipped.
 */
export class JobQueueWaits {
  private readonly throttle: ThrottledReport;

  constructor(
    private readonly maxQueuedBatches: number,
    private readonly log: (line: string) => void,
    now: () => number = Date.now,
  ) {
    this.throttle = new ThrottledReport(now);
  }

  waited(time: number, waitMs: number): void {
    const due = this.throttle.occurred(waitMs);
    if (!due) return;
    this.log(
      (due.occurrences === 1
        ? `job queue full: ${this.maxQueuedBatches} batches not finished (maxQueuedBatches); the batch of ${time} waited ${waitMs} ms to be generated`
        : `job queue full ${due.occurrences} times since the last report (maxQueuedBatches ${this.maxQueuedBatches}), batches waited up to ${due.largest} ms to be generated`) +
        '; the sources are held back meanwhile. The job does not keep up: see docs/flow-control.md (backpressure) and docs/tuning.md',
    );
  }
}
