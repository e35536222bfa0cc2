import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rm } from 'node:fs/promises';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { runSender } from './sender-process.js';
import { SENTENCES } from './sentences.js';
import { makeImageDirectory } from './test-images.js';

const brokers = process.env.KAFKA_BROKERS;
const needsBroker = { skip: brokers ? false : 'set KAFKA_BROKERS to run' };

interface TestTopic {
  topic: string;
  /** Messages in the topic, over all its partitions. */
  messageCount: () => Promise<number>;
  /** The first `n` messages, read from the beginning (one partition: in order). */
  read: (n: number) => Promise<KafkaMessage[]>;
}

/** Runs `use` with a topic of its own (`partitions` partitions), deleted afterwards. */
async function withTopic(name: string, partitions: number, use: (t: TestTopic) => Promise<void>): Promise<void> {
  const topic = `sluice-sender-${name}-${Date.now()}`;
  const kafka = new Kafka({ clientId: 'sluice-sender-test', brokers: brokers!.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const consumers: Consumer[] = [];
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    await use({
      topic,
      messageCount: async () => (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0),
      read: async (n) => {
        const consumer = kafka.consumer({ groupId: `${topic}-reader` });
        consumers.push(consumer);
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        const received: KafkaMessage[] = [];
        await new Promise<void>((resolve) => {
          void consumer.run({
            eachMessage: async ({ message }) => {
              received.push(message);
              if (received.length === n) resolve();
            },
          });
        });
        return received;
      },
    });
  } finally {
    for (const consumer of consumers) await consumer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

describe('sluice-sender kafka', { timeout: 60_000 }, () => {
  test('an unreachable broker is a clear error', async () => {
    const exit = await runSender(['kafka', '--brokers', '127.0.0.1:1', '--topic', 'nowhere', '--size', '10']);
    assert.equal(exit.code, 1);
    assert.match(exit.stderr, /cannot reach the Kafka brokers 127\.0\.0\.1:1/);
  });

  test('produces --count messages to the topic', needsBroker, () =>
    withTopic('test', 2, async ({ topic, messageCount }) => {
      const exit = await runSender(['kafka', '--brokers', brokers!, '--topic', topic, '--size', '500', '--count', '250', '--batch', '40']);
      assert.equal(exit.code, 0, exit.stderr);
      assert.equal(await messageCount(), 250);
    }));

  test('--text produces lines of text, one a message', needsBroker, () =>
    withTopic('text', 1, async ({ topic, read }) => {
      const exit = await runSender(['kafka', '--brokers', brokers!, '--topic', topic, '--text', '--count', '25']);
      assert.equal(exit.code, 0, exit.stderr);
      const received = await read(25);
      assert.deepEqual(
        received.map((m) => m.value!.toString()),
        Array.from({ length: 25 }, (_, i) => SENTENCES[i % SENTENCES.length]),
      );
    }));

  test('a source must be named once', async () => {
    const exit = await runSender(['kafka', '--brokers', '127.0.0.1:1', '--topic', 't', '--text', '--size', '10']);
    assert.equal(exit.code, 2);
    assert.match(exit.stderr, /give one of --dir, --size and --text/);
  });

  test('large messages are split over requests that each stay under the broker limit', needsBroker, () =>
    withTopic('large', 1, async ({ topic, messageCount }) => {
      // 400 kB each: three in one request would pass the broker's default 1 MB message.max.bytes.
      const exit = await runSender(['kafka', '--brokers', brokers!, '--topic', topic, '--size', '400000', '--count', '7']);
      assert.equal(exit.code, 0, exit.stderr);
      assert.equal(await messageCount(), 7);
    }));

  test('produces images keyed by file name', needsBroker, async () => {
    const { dir, images } = await makeImageDirectory();
    try {
      await withTopic('images', 1, async ({ topic, read }) => {
        const exit = await runSender(['kafka', '--brokers', brokers!, '--topic', topic, '--dir', dir]);
        assert.equal(exit.code, 0, exit.stderr);
        const received = await read(images.length);
        assert.deepEqual(
          received.map((m) => m.key!.toString()),
          images.map((i) => i.name),
        );
        received.forEach((m, i) => assert.ok(m.value!.equals(images[i]!.bytes), m.key!.toString()));
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
