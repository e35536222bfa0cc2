import { callSiteOf, OutputDStream, type DStream, type RDD } from '@sluice/streaming/internal';
import { describeBrokers, resolveKafkaConfig } from './connection.js';
import { ExecutorProducer } from './executor-producer.js';
import { tpKey } from './offset-range.js';
import { chunkMessages, serializerOf, toTopicMessages, type OutgoingMessage } from './outgoing-message.js';
import { OutageLog } from './outage-log.js';
import { writeBatchRetrying } from './retried-transaction.js';
import { TransactionalWriter } from './transactional-writer.js';
import { DEFAULT_MAX_REQUEST_BYTES, validateWriteOptions, type KafkaWriteOptions } from './write-options.js';

/**
 * Writes every batch of `stream` to Kafka: an output operation, like foreachRDD.
 *
 * By default the records are produced by the executors, each partition by the task
 * that computed it (a cached producer per executor, requests of up to maxRequestBytes,
 * acks from all in-sync replicas). A batch that fails part-way may have written some
 * partitions; with the direct stream's default onBatchFailure 'reread' they are written
 * again: at-least-once.
 *
 * With `exactlyOnce`, see writeExactlyOnce.
 */
export function writeToKafka<T>(stream: DStream<T>, options: KafkaWriteOptions<T>): void {
  const callSite = callSiteOf();
  validateWriteOptions(options);
  if (options.exactlyOnce) {
    writeExactlyOnce(stream, options, callSite);
    return;
  }
  const config = resolveKafkaConfig(options, 'producer');
  const producer = new ExecutorProducer(config, describeBrokers(config), (options.acks ?? -1) === -1);
  const serialize = serializerOf(options);
  const maxBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  new OutputDStream<T>(
    stream,
    async (rdd: RDD<T>) => {
      await rdd.foreachPartition(async (items) => {
        if (items.length === 0) return;
        const messages = items.map(serialize);
        const p = await producer.get();
        try {
          for (const chunk of chunkMessages(messages, maxBytes)) {
            await p.sendBatch({ topicMessages: toTopicMessages(chunk), acks: options.acks ?? -1, compression: options.compression });
          }
        } catch (err) {
          producer.reset();
          throw err;
        }
      });
    },
    `writeToKafka(${describeTopic(options.topic)})`,
    callSite,
  );
}

/**
 * The exactly-once mode: executors serialize the batch's records, the driver collects
 * them and writes them, together with the source stream's offsets for the batch, in one
 * Kafka transaction (TransactionalWriter). The trade-off: every output record passes
 * through the driver, which suits outputs smaller than their input (aggregates,
 * classifications, filtered events) better than a copy of a large stream.
 *
 * A transaction that fails because Kafka cannot be reached is tried again in place (see
 * writeBatchRetrying), so a broker outage delays batches instead of failing them. A batch
 * cut before the stream last resumed from Kafka's offsets (after a batch failed for
 * another reason) is skipped: its records are read again from the committed offsets.
 */
function writeExactlyOnce<T>(stream: DStream<T>, options: KafkaWriteOptions<T>, callSite: string): void {
  const eo = options.exactlyOnce!;
  const source = eo.source;
  const config = resolveKafkaConfig(options, 'transactional-producer');
  const transactionalId = eo.transactionalId ?? `sluice-${source.groupId}`;
  const writer = new TransactionalWriter({
    config,
    brokers: describeBrokers(config),
    transactionalId,
    transactionTimeoutMs: eo.transactionTimeoutMs ?? 60_000,
    groupId: source.groupId,
    maxRequestBytes: options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
    compression: options.compression,
  });
  source.attachOffsetsOwner(writer);
  const outage = new OutageLog(
    (line) => source.log(line),
    `exactly-once output ${transactionalId}`,
    describeBrokers(config),
    'the batch is written again, with the same records and offsets, once Kafka answers (later batches wait)',
  );
  const serialize = serializerOf(options);
  new OutputDStream<T>(
    stream,
    async (rdd: RDD<T>, time: number) => {
      const driver = source.driverSide;
      // Executors have no driver side: they only replay this function up to collect().
      if (driver && !driver.isCurrentBatch(time)) return;
      const messages: OutgoingMessage[] = await rdd.mapPartitions((items) => items.map(serialize)).collect();
      if (!driver) return;
      const offsets = new Map<string, number>();
      for (const r of driver.rangesOf(time)) if (r.untilOffset > r.fromOffset) offsets.set(tpKey(r.topic, r.partition), r.untilOffset);
      await writeBatchRetrying(writer, driver, time, messages, offsets, outage);
      driver.committedInTransaction(offsets, time);
    },
    `writeToKafka(${describeTopic(options.topic)}, exactly-once)`,
    callSite,
  );
}

function describeTopic(topic: string | ((element: never) => string)): string {
  return typeof topic === 'string' ? topic : 'topic per record';
}
