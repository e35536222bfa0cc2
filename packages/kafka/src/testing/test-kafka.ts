import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { startLocalBroker } from '@sluice/kafka-broker';

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
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  const local = process.env.KAFKA_BROKERS ? null : await startLocalBroker({ log: () => undefined });
  const brokers = process.env.KAFKA_BROKERS ?? local!.brokers;
  const kafka = new Kafka({ clientId: 'sluice-kafka-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await Promise.all([admin.connect(), producer.connect()]);
  return {
    brokers,
    kafka,
    admin,
    producer,
    async close() {
      await Promise.all([admin.disconnect(), producer.disconnect()]);
      await local?.stop();
    },
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}
