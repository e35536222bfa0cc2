import type { BatchInfo } from '@sluice/streaming';

/**
 * How fast sluice-classify takes images from a Kafka source when --max-rate-per-partition
 * is not given: a total rate for the stream (images/s over all partitions, shared by
 * lag; see KafkaDirectStream.setRate) that follows the classifier's own throughput.
 *
 * Why a rate at all: without one, a backlog lands in the first micro-batch, and nothing
 * comes out until the whole backlog is classified (minutes for a few thousand images),
 * while every image of it sits in memory. Why this rate:
 *
 * - The first batch takes one inference batch per executor core (executors x cores x
 *   batch size images): the first result comes one inference batch after the model is
 *   loaded, whatever the backlog.
 * - After each batch with images, the rate becomes HEADROOM times the images per
 *   second of processing that batch just showed (never below the first rate). Batches
 *   then hold a little more than one batch duration of work, so the executors never
 *   wait for input while a backlog lasts, throughput is the classifier's own (a faster
 *   backend or more executors raise the rate with it), and a batch stays bounded.
 *
 * What it does not do: keep the scheduling delay level. Batches are cut every batch
 * duration at a rate above what the executors manage (the headroom, or the first rate on
 * a machine slower than one inference batch per core per batch duration), so while a
 * backlog lasts, cut batches queue up (only their offsets: no image is read before its
 * batch runs) and new images wait behind them, as they would behind the backlog. Spark's
 * PID estimator also weighs the scheduling delay to avoid that.
 *
 * This is a proportional rate estimator in the application. Once the engine has
 * backpressure for the direct stream (a rate estimator publishing through the same
 * setRate), the classifier switches to it, with this first rate as its initial rate.
 */
export class ThroughputRate {
  private current: number;

  constructor(private readonly initial: number) {
    this.current = initial;
  }

  /** The first rate: one inference batch per executor core per batch duration. */
  static initialFor(executorCores: number, batchSize: number, batchDurationMs: number): ThroughputRate {
    const perBatch = Math.max(1, executorCores) * Math.max(1, batchSize);
    return new ThroughputRate(perBatch / (batchDurationMs / 1000));
  }

  get rate(): number {
    return this.current;
  }

  /** Takes a completed batch's throughput into account; returns the rate from now on. */
  batchCompleted(info: Pick<BatchInfo, 'numRecords' | 'processingDelay'>): number {
    const processingMs = info.processingDelay ?? 0;
    if (info.numRecords > 0 && processingMs > 0) {
      const shown = info.numRecords / (processingMs / 1000);
      this.current = Math.max(this.initial, HEADROOM * shown);
    }
    return this.current;
  }
}

/**
 * Work per batch, in batch durations, while a backlog lasts: above 1 so the executors are
 * never short of images (a batch's processing rate undercounts what the next, larger
 * batch will show), not much above, so that a batch stays a few seconds of work.
 */
const HEADROOM = 1.5;
