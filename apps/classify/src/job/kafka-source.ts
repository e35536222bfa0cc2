import { createDirectStream, offsetRanges, rangeSize } from '@sluice/kafka';
import type { StreamingContext } from '@sluice/streaming';
import type { ImageSource, SourcedImage } from './sourced-image';
import type { SourceSpec } from './source-spec';
import { ThroughputRate } from './source-rate';

const EMPTY = Buffer.alloc(0);

/** Images from a Kafka topic: key = name, value = image bytes, timestamp = when sent. */
export function openKafkaImageSource(ssc: StreamingContext, source: Extract<SourceSpec, { kind: 'kafka' }>, batchSize: number): ImageSource {
  const stream = createDirectStream(ssc, {
    brokers: source.brokers,
    subscribe: [source.topic],
    groupId: source.groupId,
    startingOffsets: source.startingOffsets,
    maxRatePerPartition: source.maxRatePerPartition,
  });
  // Without --max-rate-per-partition a backlog is taken at the classifier's own pace (the rate only matters on the driver, which cuts the batches).
  if (source.maxRatePerPartition === 0 && ssc.mode === 'driver') {
    const rate = ThroughputRate.initialFor(ssc.conf.executors * ssc.conf.executorCores, batchSize, ssc.conf.batchDurationMs);
    stream.setRate(rate.rate);
    ssc.addStreamingListener({ onBatchCompleted: ({ batchInfo }) => stream.setRate(rate.batchCompleted(batchInfo)) });
  }
  const images = stream.map((record): SourcedImage => ({
    // sluice-sender puts the file name in the key; keyless records are named by position.
    name: record.key?.toString('utf8') ?? `${record.topic}-${record.partition}@${record.offset}`,
    // A null value is classified as an empty image, so it is reported rather than dropped.
    bytes: record.value ?? EMPTY,
    sentAt: record.timestamp,
  }));
  return {
    images,
    // At-least-once: offsets are committed after the batch's results are written.
    afterOutput: (results) => stream.commitAsync(offsetRanges(results)),
    countOf: (rdd) => offsetRanges(rdd).reduce((sum, range) => sum + rangeSize(range), 0),
    kafkaStream: stream,
  };
}
