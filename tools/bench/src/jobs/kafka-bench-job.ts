/**
 * The engine side of the Kafka benchmark: counts the records of every batch of a direct
 * stream on the executors. The driver (the bench process) reads `progress`.
 *
 *   args: <brokers> <topic> <group> [maxRatePerPartition]
 */
import { createDirectStream, offsetRanges, rangeSize } from '@sluice/kafka';
import type { StreamingContext } from '@sluice/streaming';

export const progress = {
  records: 0,
  batches: 0,
  /** performance.now() when the first batch with records started its output. */
  firstBatchStart: 0,
  /** performance.now() when the last counted batch finished. */
  lastBatchEnd: 0,
};

export default function kafkaBenchJob(ssc: StreamingContext, args: string[]): void {
  const [brokers, topic, groupId, maxRate] = args;
  const stream = createDirectStream(ssc, {
    brokers: brokers!,
    subscribe: [topic!],
    groupId: groupId!,
    startingOffsets: 'earliest',
    maxRatePerPartition: Number(maxRate ?? 0),
  });
  stream.foreachRDD(async (rdd) => {
    const expected = offsetRanges(rdd).reduce((sum, r) => sum + rangeSize(r), 0);
    if (expected === 0) return;
    const started = performance.now();
    const counted = await rdd.count();
    if (progress.firstBatchStart === 0) progress.firstBatchStart = started;
    progress.records += counted;
    progress.batches++;
    progress.lastBatchEnd = performance.now();
  });
}
