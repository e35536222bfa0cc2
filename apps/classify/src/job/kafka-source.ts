import type { StreamingContext } from '@sluice/streaming';
import type { ImageSource, SourcedImage } from './sourced-image.js';
import type { SourceSpec } from './source-spec.js';

const EMPTY = Buffer.alloc(0);

/** Images from a Kafka topic: key = name, value = image bytes, timestamp = when sent. */
export async function openKafkaImageSource(ssc: StreamingContext, source: Extract<SourceSpec, { kind: 'kafka' }>): Promise<ImageSource> {
  // Imported here, not at the top: see writeResultsToKafka (kafka-output.ts).
  const { createDirectStream, offsetRanges, rangeSize } = await import('@sluice/kafka');
  const stream = createDirectStream(ssc, {
    brokers: source.brokers,
    subscribe: [source.topic],
    groupId: source.groupId,
    startingOffsets: source.startingOffsets,
    maxRatePerPartition: source.maxRatePerPartition,
  });
  // How many images a batch takes is the engine's backpressure's business (on by default
  // for the classifier, see cli/flow-control.ts); --max-rate-per-partition is its ceiling.
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
