/**
 * Latencies at 1 ms resolution in a fixed array, so a stream that runs for days keeps
 * exact percentiles in constant memory. Values above that range (a Kafka backlog read
 * from its record timestamps waits minutes) are counted at 1 s resolution, rounded up,
 * in a sparse table: their percentiles stay honest to the second instead of all
 * collapsing into the largest value. The true maximum is kept aside.
 */
export class LatencyHistogram {
  private readonly counts: Uint32Array;
  /** Whole seconds (rounded up) -> count, for values above rangeMs. */
  private readonly overflowSeconds = new Map<number, number>();
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
    if (value <= this.rangeMs) this.counts[value]! += times;
    else {
      const s = Math.ceil(value / 1000);
      this.overflowSeconds.set(s, (this.overflowSeconds.get(s) ?? 0) + times);
    }
    this.total += times;
    if (value > this.maxValue) this.maxValue = value;
  }

  /** The smallest latency that at least `p` percent of the values do not exceed (to the second above the range). */
  percentile(p: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let ms = 0; ms <= this.rangeMs; ms++) {
      seen += this.counts[ms]!;
      if (seen >= rank) return ms;
    }
    for (const s of [...this.overflowSeconds.keys()].sort((a, b) => a - b)) {
      seen += this.overflowSeconds.get(s)!;
      if (seen >= rank) return Math.min(s * 1000, this.maxValue);
    }
    return this.maxValue;
  }
}
