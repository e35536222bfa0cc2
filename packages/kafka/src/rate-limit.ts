export interface RateLimits {
  /** Records per second per partition; 0 = unlimited (Spark's maxRatePerPartition). */
  maxRatePerPartition: number;
  /** Floor of a limited partition's records per batch (Spark's minRatePerPartition, default 1). */
  minRatePerPartition: number;
  batchDurationMs: number;
  /**
   * A total rate for the whole stream (records/s), e.g. from a backpressure estimator:
   * shared between partitions in proportion to their lag. 0 or undefined = none.
   */
  estimatedRate?: number;
}

/**
 * Where each partition's range ends this batch: Spark's DirectKafkaInputDStream.clamp
 * with maxMessagesPerPartition.
 *
 * Without any limit a batch takes everything up to the latest offset. With limits, each
 * partition gets max(limit x batch seconds, minRatePerPartition) records, where the limit
 * is maxRatePerPartition, or its lag-proportional share of the estimated rate (capped
 * by maxRatePerPartition). A range never goes past the latest offset nor backwards.
 */
export function clampUntilOffsets(
  current: ReadonlyMap<string, number>,
  latest: ReadonlyMap<string, number>,
  limits: RateLimits,
): Map<string, number> {
  const perPartitionLimit = effectiveRates(current, latest, limits);
  const until = new Map<string, number>();
  const secsPerBatch = limits.batchDurationMs / 1000;
  for (const [tp, from] of current) {
    const end = Math.max(from, latest.get(tp) ?? from);
    const rate = perPartitionLimit?.get(tp);
    if (rate === undefined) {
      until.set(tp, end);
      continue;
    }
    const messages = Math.max(Math.floor(secsPerBatch * rate), limits.minRatePerPartition);
    until.set(tp, Math.min(from + messages, end));
  }
  return until;
}

/** Records/s per partition, or null when the stream is not limited at all. */
function effectiveRates(
  current: ReadonlyMap<string, number>,
  latest: ReadonlyMap<string, number>,
  limits: RateLimits,
): Map<string, number> | null {
  const rates = new Map<string, number>();
  const estimated = limits.estimatedRate ?? 0;
  if (estimated > 0) {
    let totalLag = 0;
    const lags = new Map<string, number>();
    for (const [tp, from] of current) {
      const lag = Math.max((latest.get(tp) ?? from) - from, 0);
      lags.set(tp, lag);
      totalLag += lag;
    }
    for (const [tp, lag] of lags) {
      const share = totalLag > 0 ? (lag / totalLag) * estimated : 0;
      rates.set(tp, limits.maxRatePerPartition > 0 ? Math.min(share, limits.maxRatePerPartition) : share);
    }
  } else {
    if (limits.maxRatePerPartition <= 0) return null;
    for (const tp of current.keys()) rates.set(tp, limits.maxRatePerPartition);
  }
  let sum = 0;
  for (const r of rates.values()) sum += r;
  return sum > 0 ? rates : null;
}
