import type { LateTick } from '../util/clock';

/** Lines about late ticks at most this often, so a stalled driver does not flood the log. */
const REPORT_EVERY_MS = 10_000;

/**
 * Counts the batch clock's late ticks and says so in the log: the first one at once,
 * then a summary at most every REPORT_EVERY_MS. A late batch keeps its time (the clock
 * never stretches); this is how the lateness becomes visible.
 */
export class LateTicks {
  count = 0;
  maxLateMs = 0;
  private unreported = 0;
  private unreportedMax = 0;
  private lastReport = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly periodMs: number,
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  report(late: LateTick): void {
    this.count++;
    this.maxLateMs = Math.max(this.maxLateMs, late.lateMs);
    this.unreported++;
    this.unreportedMax = Math.max(this.unreportedMax, late.lateMs);
    const now = this.now();
    if (now - this.lastReport < REPORT_EVERY_MS) return;
    this.log(
      this.unreported === 1
        ? `batch clock: the batch of ${late.time} was generated ${late.lateMs} ms late (batch duration ${this.periodMs} ms)`
        : `batch clock: ${this.unreported} batches generated late since the last report, up to ${this.unreportedMax} ms ` +
            `(batch duration ${this.periodMs} ms); the driver is overloaded or was stalled`,
    );
    this.lastReport = now;
    this.unreported = 0;
    this.unreportedMax = 0;
  }
}
