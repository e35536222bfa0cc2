import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rm } from 'node:fs/promises';
import { Kafka, logLevel } from 'kafkajs';
import { runSender } from './sender-process.js';
import { SENTENCES } from './sentences.js';
import { makeImageDirectory } from './test-images.js';

const brokers = process.env.KAFKA_BROKERS;

describe('sluice-sender kafka', { timeout: 60_000 }, () => {
  test('an unreachable broker is a clear error', async () => {
    const exit = await runSender(['kafka', '--brokers', '127.0.0.1:1', '--topic', 'nowhere', '--size', '10']);
    assert.equal(exit.code, 1);
    assert.match(exit.stderr, /cannot reach the Kafka brokers 127\.0\.0\.1:1/);
  });

  test('produces --count messages to the topic', { skip: brokers ? false : 'set KAFKA_BROKERS to run' }, async () => {
    const topic = `sluice-sender-test-${Date.now()}`;
    const admin = new Kafka({ clientId: 'sluice-sender-test', brokers: brokers!.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
      const exit = await runSender(['kafka', '--brokers', brokers!, '--topic', topic, '--size', '500', '--count', '250', '--batch', '40']);
      assert.equal(exit.code, 0, exit.stderr);
      const offsets = await admin.fetchTopicOffsets(topic);
      assert.equal(offsets.reduce((sum, p) => sum + Number(p.high), 0), 250);
    } finally {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  test('--text produces lines of text, one a message', { skip: brokers ? false : 'set KAFKA_BROKERS to run' }, async () => {
    const topic = `sluice-sender-text-${Date.now()}`;
    const kafka = new Kafka({ clientId: 'sluice-sender-test', brokers: brokers!.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const consumer = kafka.consumer({ groupId: `${topic}-reader` });
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      const exit = await runSender(['kafka', '--brokers', brokers!, '--topic', topic, '--text', '--count', '25']);
      assert.equal(exit.code, 0, exit.stderr);
      const received: string[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            received.push(message.value!.toString());
            if (received.length === 25) resolve();
          },
        });
      });
      assert.deepEqual(received, Array.from({ length: 25 }, (_, i) => SENTENCES[i % SENTENCES.length]));
    } finally {
      await consumer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  test('a source must be named once', async () => {
    const exit = await runSender(['kafka', '--brokers', '127.0.0.1:1', '--topic', 't', '--text', '--size', '10']);
    assert.equal(exit.code, 2);
    assert.match(exit.stderr, /give one of --dir, --size and --text/);
  });

  test('large messages are split over requests that each stay under the broker limit', { skip: brokers ? false : 'set KAFKA_BROKERS to run' }, async () => {
    const topic = `sluice-sender-large-${Date.now()}`;
    const admin = new Kafka({ clientId: 'sluice-sender-test', brokers: brokers!.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      // 400 kB each: three in one request would pass the broker's default 1 MB message.max.bytes.
      const exit = await runSender(['kafka', '--brokers', brokers!, '--topic', topic, '--size', '400000', '--count', '7']);
      assert.equal(exit.code, 0, exit.stderr);
      const offsets = await admin.fetchTopicOffsets(topic);
      assert.equal(offsets.reduce((sum, p) => sum + Number(p.high), 0), 7);
    } finally {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  test('produces images keyed by file name', { skip: brokers ? false : 'set KAFKA_BROKERS to run' }, async () => {
    const { dir, images } = await makeImageDirectory();
    const topic = `sluice-sender-images-${Date.now()}`;
    const kafka = new Kafka({ clientId: 'sluice-sender-test', brokers: brokers!.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const consumer = kafka.consumer({ groupId: `${topic}-reader` });
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      const exit = await runSender(['kafka', '--brokers', brokers!, '--topic', topic, '--dir', dir]);
      assert.equal(exit.code, 0, exit.stderr);
      const received: { key: string; value: Buffer }[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            received.push({ key: message.key!.toString(), value: message.value! });
            if (received.length === images.length) resolve();
          },
        });
      });
      assert.deepEqual(
        received.map((m) => m.key),
        images.map((i) => i.name),
      );
      received.forEach((m, i) => assert.ok(m.value.equals(images[i]!.bytes), m.key));
    } finally {
      await consumer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
