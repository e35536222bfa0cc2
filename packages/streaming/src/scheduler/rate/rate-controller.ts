import type { BatchInfo } from '../../listener/batch-info.js';
import type { PidRateEstimator } from './pid-rate-estimator.js';

/**
 * Spark's RateController: one per input stream under backpressure. After each completed
 * batch it asks the estimator for a new rate from that stream's records and the batch's
 * delays, and publishes it (to the stream's receivers, or to the Kafka direct stream).
 */
export class RateController {
  private latest: number;

  constructor(
    readonly streamId: number,
    private readonly estimator: PidRateEstimator,
    private readonly publish: (rate: number) => void,
    /** The rate before the first estimate (0: none). */
    initialRate: number,
  ) {
    this.latest = initialRate;
  }

  /** The last rate published (records per second; 0 before the first, without an initial rate). */
  get latestRate(): number {
    return this.latest;
  }

  onBatchCompleted(info: BatchInfo): void {
    const { processingEndTime, processingDelay, schedulingDelay } = info;
    const input = info.streamIdToInputInfo[this.streamId];
    if (!input || processingEndTime === null || processingDelay === null || schedulingDelay === null) return;
    const rate = this.estimator.compute(processingEndTime, input.numRecords, processingDelay, schedulingDelay);
    if (rate === null) return;
    this.latest = rate;
    this.publish(rate);
  }
}
