import { startLocalBroker, type LocalBroker } from '@sluice/kafka-broker';
import { Kafka, logLevel, type Admin } from 'kafkajs';

/** The Kafka a benchmark runs against, with the topics it made; close() removes them. */
export interface BenchKafka {
  brokers: string;
  kafka: Kafka;
  admin: Admin;
  /** Creates a topic that close() deletes again. */
  createTopic: (topic: string, partitions: number) => Promise<void>;
  /** Deletes the topics created, disconnects, and stops the broker if the bench started it. */
  close: () => Promise<void>;
}

/**
 * The benchmarks' broker: `brokers` (their --brokers), else KAFKA_BROKERS, else a local
 * broker started for this run (its log on stderr as `[kafka] ...`).
 */
export async function benchKafka(brokers: string | undefined, clientId: string): Promise<BenchKafka> {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  let broker: LocalBroker | null = null;
  let list = brokers ?? process.env.KAFKA_BROKERS;
  if (!list) {
    broker = await startLocalBroker({ log: (line) => process.stderr.write(`[kafka] ${line}\n`) });
    list = broker.brokers;
  }
  const kafka = new Kafka({ clientId, brokers: list.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (err) {
    await broker?.stop();
    throw err;
  }
  const topics: string[] = [];
  return {
    brokers: list,
    kafka,
    admin,
    createTopic: async (topic, partitions) => {
      topics.push(topic);
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    },
    close: async () => {
      if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
      await broker?.stop();
    },
  };
}
