import type { LateTick } from '../util/clock.js';
import { ThrottledReport } from './throttled-report.js';

/**
 * Says in the log when the batch clock ticks late: the first one at once, then a summary
 * at most every 10 s. A late batch keeps its time (the clock never stretches); this is
 * how the lateness becomes visible.
 */
export class LateTicks {
  private readonly throttle: ThrottledReport;

  constructor(
    private readonly periodMs: number,
    private readonly log: (line: string) => void,
    now: () => number = Date.now,
  ) {
    this.throttle = new ThrottledReport(now);
  }

  report(late: LateTick): void {
    const due = this.throttle.occurred(late.lateMs);
    if (!due) return;
    this.log(
      due.occurrences === 1
        ? `batch clock: the batch of ${late.time} was generated ${late.lateMs} ms late (batch duration ${this.periodMs} ms)`
        : `batch clock: ${due.occurrences} batches generated late since the last report, up to ${due.largest} ms ` +
            `(batch duration ${this.periodMs} ms); the driver is overloaded or was stalled`,
    );
  }
}
