/**
 * receiver.maxRate: records per second per receiver, enforced where records enter the
 * engine. A token bucket with one second of burst; `take(n)` says how long the receiver
 * should pause its source after taking n records.
 */
export class RateLimiter {
  private tokens: number;
  private last = performance.now();

  constructor(private rate: number) {
    // Start empty, like a smoothed limiter: no burst of a whole second at start-up.
    this.tokens = 0;
  }

  get limit(): number {
    return this.rate;
  }

  /** 0 or negative means unlimited. Backpressure can move this at run time. */
  setRate(rate: number): void {
    this.rate = rate;
    this.tokens = Math.min(this.tokens, rate);
  }

  /** Takes n tokens; returns the milliseconds to wait before taking more (0 if none). */
  take(n: number): number {
    if (this.rate <= 0) return 0;
    const now = performance.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.rate) * 1000;
  }
}
