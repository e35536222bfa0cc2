/** The settings of a PID rate estimator (Spark's spark.streaming.backpressure.pid.*). */
export interface PidSettings {
  /** Weight of the current error: the last rate against the rate the last batch was processed at. */
  proportional: number;
  /** Weight of the accumulated error: the backlog the scheduling delay stands for. */
  integral: number;
  /** Weight of the error's rate of change. */
  derived: number;
  /** The rate never goes below this (records per second). */
  minRate: number;
}

/** Spark's defaults. */
export const DEFAULT_PID: PidSettings = { proportional: 1, integral: 0.2, derived: 0, minRate: 100 };

/**
 * Spark's PIDRateEstimator: after each batch, the rate (records per second) an input
 * stream should take in so that a batch is processed within the batch duration and the
 * scheduling delay drains away.
 *
 * - The processing rate is what the batch showed: records / processing delay.
 * - The error is the last rate minus that processing rate (positive: taking in too much).
 * - The historical error is the backlog the scheduling delay stands for, in records per
 *   second of the batch duration: schedulingDelay x processingRate / batchDuration.
 * - The new rate is last rate - Kp x error - Ki x historical error - Kd x d(error)/dt,
 *   never below minRate.
 *
 * The first batch with records only sets the starting point (the last rate becomes its
 * processing rate) and gives no estimate; batches without records, or processed in no
 * time, give none either.
 */
export class PidRateEstimator {
  private firstRun = true;
  private latestTime = -1;
  private latestRate = -1;
  private latestError = -1;

  constructor(
    private readonly batchIntervalMs: number,
    private readonly settings: PidSettings = DEFAULT_PID,
  ) {
    if (!(batchIntervalMs > 0)) throw new Error(`the rate estimator needs a positive batch duration, got ${batchIntervalMs}`);
    const { proportional, integral, derived, minRate } = settings;
    if (!(proportional >= 0)) throw new Error(`backpressurePidProportional must be >= 0, got ${proportional}`);
    if (!(integral >= 0)) throw new Error(`backpressurePidIntegral must be >= 0, got ${integral}`);
    if (!(derived >= 0)) throw new Error(`backpressurePidDerived must be >= 0, got ${derived}`);
    if (!(minRate > 0)) throw new Error(`backpressurePidMinRate must be > 0, got ${minRate}`);
  }

  /**
   * The new rate after a batch that ended at `time` (ms) having processed `numElements`
   * records in `processingDelay` ms after waiting `schedulingDelay` ms; null when the
   * batch tells nothing new.
   */
  compute(time: number, numElements: number, processingDelay: number, schedulingDelay: number): number | null {
    if (!(time > this.latestTime && numElements > 0 && processingDelay > 0)) return null;
    const { proportional, integral, derived, minRate } = this.settings;
    // Seconds since the last update (the first time: since the epoch; its result is not used).
    const delaySinceUpdate = (time - this.latestTime) / 1000;
    const processingRate = (numElements / processingDelay) * 1000;
    const error = this.latestRate - processingRate;
    const historicalError = (schedulingDelay * processingRate) / this.batchIntervalMs;
    const dError = (error - this.latestError) / delaySinceUpdate;
    const newRate = Math.max(this.latestRate - proportional * error - integral * historicalError - derived * dError, minRate);
    this.latestTime = time;
    if (this.firstRun) {
      this.latestRate = processingRate;
      this.latestError = 0;
      this.firstRun = false;
      return null;
    }
    this.latestRate = newRate;
    this.latestError = error;
    return newRate;
  }
}
