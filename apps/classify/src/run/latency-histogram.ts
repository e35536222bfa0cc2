/**
 * Latencies at 1 ms resolution in a fixed array, so a stream that runs for days keeps
 * exact percentiles in constant memory. Values above the range count in the last bucket
 * and the true maximum is kept aside.
 */
export class LatencyHistogram {
  private readonly counts: Uint32Array;
  private total = 0;
  private maxValue = 0;

  constructor(private readonly rangeMs = 120_000) {
    this.counts = new Uint32Array(rangeMs + 1);
  }

  get count(): number {
    return this.total;
  }

  get max(): number {
    return this.maxValue;
  }

  add(ms: number, times = 1): void {
    const value = Math.max(0, Math.round(ms));
    this.counts[Math.min(value, this.rangeMs)]! += times;
    this.total += times;
    if (value > this.maxValue) this.maxValue = value;
  }

  /** The smallest latency that at least `p` percent of the values do not exceed. */
  percentile(p: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let ms = 0; ms <= this.rangeMs; ms++) {
      seen += this.counts[ms]!;
      if (seen >= rank) return ms === this.rangeMs ? this.maxValue : ms;
    }
    return this.maxValue;
  }
}
