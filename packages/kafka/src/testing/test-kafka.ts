import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { startLocalBroker } from '@sluice/kafka-broker';

/** Kafka plumbing for tests (this package's and the e2e tests, via @sluice/kafka/testing). */
export interface TestKafka {
  brokers: string;
  kafka: Kafka;
  admin: Admin;
  producer: Producer;
  close(): Promise<void>;
}

/**
 * The Kafka a test file uses: KAFKA_BROKERS when the test runner (or the developer)
 * gives one, else a local broker started for this file and stopped by close().
 */
export async function testKafka(): Promise<TestKafka> {
  const local = process.env.KAFKA_BROKERS ? null : await startLocalBroker({ log: () => undefined });
  const brokers = process.env.KAFKA_BROKERS ?? local!.brokers;
  return connectTo(brokers, async () => {
    await local?.stop();
  });
}

/** Connects an admin and a producer to `brokers`; close() disconnects them, then runs onClose. */
export async function connectTo(brokers: string, onClose: () => Promise<void> = async () => undefined): Promise<TestKafka> {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  const kafka = new Kafka({ clientId: 'sluice-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await Promise.all([admin.connect(), producer.connect()]);
  return {
    brokers,
    kafka,
    admin,
    producer,
    async close() {
      await Promise.all([admin.disconnect().catch(() => undefined), producer.disconnect().catch(() => undefined)]);
      await onClose();
    },
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}
