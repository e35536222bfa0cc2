/** Lines about one recurring condition at most this often, so an overloaded driver does not flood the log. */
const REPORT_EVERY_MS = 10_000;

/** What a report covers: the occurrences since the previous one, and the largest of their amounts. */
export interface DueReport {
  occurrences: number;
  largest: number;
}

/**
 * Counts occurrences of a condition (a late tick, a wait for the job queue) and says
 * when one is due to be logged: the first at once, then a summary of those since at most
 * every REPORT_EVERY_MS. The caller words the line.
 */
export class ThrottledReport {
  private unreported = 0;
  private unreportedMax = 0;
  private lastReport = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = Date.now) {}

  /** Records one occurrence of `amount` (ms late, ms waited); returns the report due now, or null. */
  occurred(amount: number): DueReport | null {
    this.unreported++;
    this.unreportedMax = Math.max(this.unreportedMax, amount);
    const now = this.now();
    if (now - this.lastReport < REPORT_EVERY_MS) return null;
    const due = { occurrences: this.unreported, largest: this.unreportedMax };
    this.lastReport = now;
    this.unreported = 0;
    this.unreportedMax = 0;
    return due;
  }
}
