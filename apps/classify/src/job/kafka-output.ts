import type { KafkaDirectStream } from '@sluice/kafka';
import type { DStream } from '@sluice/streaming';
import type { ClassifiedImage } from '@sluice/vision/stream';
import type { OutputSpec } from './output-spec.js';
import { toResultRecord } from './result-record.js';

/**
 * Results as JSON records (key: the image name) produced by the executors. From a Kafka
 * source, results and input offsets are written in one transaction (exactly once).
 */
export async function writeResultsToKafka(
  results: DStream<ClassifiedImage>,
  output: Extract<OutputSpec, { kind: 'kafka' }>,
  kafkaSource: KafkaDirectStream | undefined,
): Promise<void> {
  // Imported here rather than at the top: the executors get the job as one bundle, and a
  // bundle hoists the package imports of its lazily loaded files to its own top, so every
  // executor thread would load kafkajs for a job that never touches Kafka.
  const { writeToKafka } = await import('@sluice/kafka');
  writeToKafka(results, {
    brokers: output.brokers,
    topic: output.topic,
    key: (image) => image.name ?? null,
    // Latency is measured when the record is serialized, just before it is produced.
    value: (image) => JSON.stringify(toResultRecord(image, Date.now())),
    ...(kafkaSource ? { exactlyOnce: { source: kafkaSource } } : {}),
  });
}
