/** What tune reads of a completed batch (from BatchInfo). */
export interface BatchSample {
  batchTime: number;
  numRecords: number;
  schedulingDelay: number;
  processingDelay: number;
  totalDelay: number;
}

export interface WindowVerdict {
  sustained: boolean;
  /** Why not, in words; for a sustained window, a summary. */
  reason: string;
  /** Records per second the batches of the window held. */
  receivedRate: number;
  /** Growth of the scheduling delay across the window (least-squares fit), in ms. */
  delayGrowthMs: number;
  meanProcessingMs: number;
  maxSchedulingDelayMs: number;
  medianTotalDelayMs: number;
  /**
   * End-to-end latency of a record, estimated: a record waits on average half a batch
   * before its batch is cut, then the batch's total delay.
   */
  medianLatencyMs: number;
  batches: number;
}

export interface VerdictRule {
  batchDurationMs: number;
  /** Records per second the sender sent. */
  rate: number;
}

/**
 * Whether a window of consecutive batches kept up with the input, by the criteria the
 * stream benchmarks and Spark's tuning guide use: the scheduling delay does not grow over
 * the window, a batch is processed in less than a batch duration on average, the delay
 * stays within a couple of batch durations, and the batches hold the records sent.
 */
export function judgeWindow(window: BatchSample[], rule: VerdictRule): WindowVerdict {
  const b = rule.batchDurationMs;
  const n = window.length;
  const receivedRate = n === 0 ? 0 : window.reduce((s, x) => s + x.numRecords, 0) / ((n * b) / 1000);
  const delayGrowthMs = slope(window.map((x) => x.schedulingDelay)) * Math.max(0, n - 1);
  const meanProcessingMs = n === 0 ? 0 : window.reduce((s, x) => s + x.processingDelay, 0) / n;
  const maxSchedulingDelayMs = Math.max(0, ...window.map((x) => x.schedulingDelay));
  const medianTotalDelayMs = median(window.map((x) => x.totalDelay));
  const figures = {
    receivedRate,
    delayGrowthMs,
    meanProcessingMs,
    maxSchedulingDelayMs,
    medianTotalDelayMs,
    medianLatencyMs: medianTotalDelayMs + b / 2,
    batches: n,
  };
  const no = (reason: string): WindowVerdict => ({ sustained: false, reason, ...figures });
  if (n < 3) return no(`only ${n} batch(es) completed in the window`);
  // Timer jitter and GC move single batches by tens of ms; growth must exceed that noise.
  const allowedGrowth = Math.max(b / 2, 100);
  if (delayGrowthMs > allowedGrowth) {
    return no(`scheduling delay grew by ${Math.round(delayGrowthMs)} ms over ${n} batches`);
  }
  if (meanProcessingMs > b) return no(`processing took ${Math.round(meanProcessingMs)} ms per ${b} ms batch`);
  if (maxSchedulingDelayMs > 2 * b + 100) {
    return no(`scheduling delay reached ${Math.round(maxSchedulingDelayMs)} ms (over 2 batch durations)`);
  }
  if (receivedRate < 0.9 * rule.rate) {
    return no(`batches held ${Math.round(receivedRate)} records/s of the ${Math.round(rule.rate)} sent`);
  }
  return {
    sustained: true,
    reason: `delay flat (${signed(delayGrowthMs)} ms over ${n} batches), processing ${Math.round(meanProcessingMs)} ms per ${b} ms batch`,
    ...figures,
  };
}

/** Least-squares slope of values against their index. */
export function slope(values: number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((v, i) => {
    num += (i - meanX) * (v - meanY);
    den += (i - meanX) ** 2;
  });
  return num / den;
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function signed(x: number): string {
  const r = Math.round(x);
  return r > 0 ? `+${r}` : `${r}`;
}
