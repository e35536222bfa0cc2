import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { runSender } from './sender-process';

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
});
