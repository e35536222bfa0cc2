import { Kafka, Partitioners, type CompressionTypes, type KafkaConfig, type Producer } from 'kafkajs';
import type { TransactionalOffsetsOwner } from './direct-stream-driver.js';
import { explainKafkaError } from './kafka-errors.js';
import { parseTpKey } from './offset-range.js';
import { chunkMessages, toTopicMessages, type OutgoingMessage } from './outgoing-message.js';

export interface TransactionalWriterOptions {
  config: KafkaConfig;
  brokers: string;
  transactionalId: string;
  transactionTimeoutMs: number;
  groupId: string;
  maxRequestBytes: number;
  compression?: CompressionTypes;
}

/**
 * The driver's transactional producer for an exactly-once output: each batch's records
 * and its consumer offsets go out in one transaction.
 *
 * Its transactional id is stable across restarts. fence() (run before the stream reads
 * anything, and again after any failure) starts a new producer under that id: Kafka
 * bumps the id's epoch, which aborts the transaction a killed driver left open (or
 * finishes one whose commit had been requested) and makes any older producer's
 * further writes fail. Only after that are the group's committed offsets final, and
 * the stream starts from them.
 */
export class TransactionalWriter implements TransactionalOffsetsOwner {
  private producer: Producer | null = null;

  constructor(private readonly options: TransactionalWriterOptions) {}

  async fence(): Promise<void> {
    await this.close();
    const producer = new Kafka(this.options.config).producer({
      transactionalId: this.options.transactionalId,
      transactionTimeout: this.options.transactionTimeoutMs,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: true,
      // A failed transaction is aborted and the batch read again, so a bounded number
      // of retries costs nothing in correctness and keeps a dead broker from hanging a batch.
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 3000 },
    });
    try {
      await producer.connect();
      // The first transaction() sends InitProducerId: that is the fencing.
      const transaction = await producer.transaction();
      await transaction.abort();
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      throw new Error(`exactly-once output ${this.options.transactionalId}: could not initialize the transactional producer: ${explainKafkaError(err, this.options.brokers)}`, { cause: err });
    }
    this.producer = producer;
  }

  /** Writes one batch: its records and the offsets (by tpKey) its input reached, atomically. */
  async writeBatch(batchTime: number, messages: readonly OutgoingMessage[], offsets: ReadonlyMap<string, number>): Promise<void> {
    if (messages.length === 0 && offsets.size === 0) return;
    if (!this.producer) {
      throw new Error(`exactly-once output ${this.options.transactionalId}: no transactional producer (fencing has not succeeded yet)`);
    }
    const transaction = await this.producer.transaction();
    try {
      for (const chunk of chunkMessages(messages, this.options.maxRequestBytes)) {
        await transaction.sendBatch({ topicMessages: toTopicMessages(chunk), acks: -1, compression: this.options.compression });
      }
      if (offsets.size > 0) await transaction.sendOffsets({ consumerGroupId: this.options.groupId, topics: offsetTopics(offsets) });
      await transaction.commit();
    } catch (err) {
      await transaction.abort().catch(() => undefined);
      // Whether the commit happened is unknown if its answer was lost; the stream asks
      // Kafka after fencing with a new producer, so this one is done.
      await this.close();
      throw new Error(
        `exactly-once output ${this.options.transactionalId}: the transaction of batch ${batchTime} ` +
          `(${messages.length} records) failed and was aborted: ${explainKafkaError(err, this.options.brokers)}`,
        { cause: err },
      );
    }
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
  }
}

function offsetTopics(offsets: ReadonlyMap<string, number>): { topic: string; partitions: { partition: number; offset: string }[] }[] {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const [key, offset] of offsets) {
    const { topic, partition } = parseTpKey(key);
    let list = byTopic.get(topic);
    if (!list) byTopic.set(topic, (list = []));
    list.push({ partition, offset: String(offset) });
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}
