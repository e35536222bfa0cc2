import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { submit } from '@sluice/cli';
import { DEAD_LETTER_HEADERS } from '@sluice/kafka';
import * as jobs from '../fixtures/kafka-jobs.js';
import { assertContiguous } from '../fixtures/contiguous-ranges.js';
import { idempotentProducer, produceValues, range, recordsInLogs, uniqueName } from '../fixtures/kafka-helpers.js';
import { kafkaSuite } from '../fixtures/kafka-suite.js';
import { sleep, waitFor } from './helpers.js';

const job = fileURLToPath(new URL('../fixtures/kafka-jobs.ts', import.meta.url));
const conf = { executors: 2, batchDuration: '500ms' };
const quiet = () => {};

function collectedValues(): string[] {
  return jobs.batches.flatMap((b) => b.values);
}

describe('Kafka direct stream', { timeout: 120_000 }, () => {
  const kafka = kafkaSuite();

  test('20,000 messages in 4 partitions are counted exactly, in contiguous offset ranges', async () => {
    const { k, producer } = kafka;
    jobs.resetCollected();
    const topic = uniqueName('direct-count');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
    const all = range('m', 0, 20_000);
    // Half waits in the topic before the stream starts, half arrives while it runs.
    await produceValues(producer, topic, all.slice(0, 10_000));
    // 2000 records/s per partition x 0.5 s: at most 4000 records per batch, so several batches.
    const { ssc } = await submit({ job, args: ['count', k.brokers, topic, uniqueName('g'), '2000'], conf, log: quiet });
    let reportedRecords = 0;
    ssc.addStreamingListener({ onBatchCompleted: (e) => (reportedRecords += e.batchInfo.numRecords) });
    try {
      await produceValues(producer, topic, all.slice(10_000));
      await waitFor(() => collectedValues().length >= 20_000, 60_000, '20,000 records');
    } finally {
      await ssc.stop({ graceful: true });
    }
    const values = collectedValues();
    assert.equal(values.length, 20_000, 'no record twice');
    assert.deepEqual(new Set(values), new Set(all));
    const withRecords = jobs.batches.filter((b) => b.values.length > 0);
    assert.ok(withRecords.length >= 5, `records spread over ${withRecords.length} batches`);
    for (const b of jobs.batches) {
      assert.equal(b.ranges.length, 4, 'one range per topic-partition in every batch');
      for (const r of b.ranges) assert.ok(r.untilOffset - r.fromOffset <= 1000, `rate limit: ${r.untilOffset - r.fromOffset} > 1000 records in a batch`);
      assert.equal(b.values.length, b.ranges.reduce((n, r) => n + r.untilOffset - r.fromOffset, 0), 'records = offsets covered');
    }
    const ends = assertContiguous(jobs.batches, {});
    assert.equal([...ends.values()].reduce((a, b) => a + b, 0), 20_000);
    assert.equal(reportedRecords, 20_000, 'BatchInfo.numRecords counts the Kafka records of each batch');
  });

  test('after a graceful stop a restart resumes from the committed offsets: no gap, no repeat', async () => {
    const { k, producer } = kafka;
    jobs.resetCollected();
    const topic = uniqueName('direct-restart');
    const group = uniqueName('g');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
    await produceValues(producer, topic, range('a', 0, 3000));
    let app = await submit({ job, args: ['count', k.brokers, topic, group], conf, log: quiet });
    await waitFor(() => collectedValues().length >= 3000, 30_000, 'the first 3000 records');
    await app.ssc.stop({ graceful: true });
    const firstRun = [...jobs.batches];
    const committed = await k.admin.fetchOffsets({ groupId: group, topics: [topic] });
    const committedEnds = Object.fromEntries(committed[0]!.partitions.map((p) => [`${topic}-${p.partition}`, Number(p.offset)]));
    assert.deepEqual(committedEnds, Object.fromEntries(assertContiguous(firstRun, {})), 'the commits cover every batch of the first run');

    jobs.resetCollected();
    await produceValues(producer, topic, range('b', 0, 3000));
    app = await submit({ job, args: ['count', k.brokers, topic, group], conf, log: quiet });
    try {
      await waitFor(() => collectedValues().length >= 3000, 30_000, 'the next 3000 records');
      await sleep(600);
    } finally {
      await app.ssc.stop({ graceful: true });
    }
    assert.deepEqual(new Set(collectedValues()), new Set(range('b', 0, 3000)));
    assert.equal(collectedValues().length, 3000);
    assertContiguous(jobs.batches, committedEnds);
  });

  test('a batch whose output fails is read again (at-least-once), and its offsets are not committed past', async () => {
    const { k, producer } = kafka;
    jobs.resetCollected();
    const topic = uniqueName('direct-flaky');
    const group = uniqueName('g');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await produceValues(producer, topic, range('f', 0, 2000));
    const { ssc } = await submit({ job, args: ['flaky', k.brokers, topic, group], conf, log: quiet });
    try {
      await waitFor(() => collectedValues().length >= 2000, 30_000, 'all records after the failure');
      await sleep(600);
    } finally {
      await ssc.stop({ graceful: true });
    }
    assert.ok(jobs.logLines.some((l) => /batch \d+ failed; reading .* again/.test(l)), jobs.logLines.join('\n'));
    assert.deepEqual(collectedValues().sort(), range('f', 0, 2000).sort());
    const committed = await k.admin.fetchOffsets({ groupId: group, topics: [topic] });
    assert.equal(committed[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0), 2000);
  });

  test('subscribePattern picks up a topic created later and partitions added later', async () => {
    const { k, producer } = kafka;
    jobs.resetCollected();
    const prefix = uniqueName('pattern').replace(/-/g, '_');
    const first = `${prefix}-one`;
    const second = `${prefix}-two`;
    await k.admin.createTopics({ topics: [{ topic: first, numPartitions: 1 }], waitForLeaders: true });
    await produceValues(producer, first, range('x', 0, 100));
    const { ssc } = await submit({ job, args: ['count', k.brokers, `/^${prefix}-/`, uniqueName('g')], conf, log: quiet });
    try {
      await waitFor(() => collectedValues().length >= 100, 20_000, 'the first topic');
      await k.admin.createTopics({ topics: [{ topic: second, numPartitions: 2 }], waitForLeaders: true });
      await produceValues(producer, second, range('y', 0, 100));
      await waitFor(() => collectedValues().length >= 200, 20_000, 'the new topic');
      await k.admin.createPartitions({ topicPartitions: [{ topic: first, count: 3 }] });
      // A new producer: kafkajs' producers silently drop records for partitions their cached metadata lacks.
      const late = await idempotentProducer(k.kafka);
      await late.send({ topic: first, messages: range('z', 0, 30).map((value, i) => ({ value, partition: 1 + (i % 2) })) });
      await late.disconnect();
      await waitFor(() => collectedValues().length >= 230, 20_000, 'the new partitions');
    } finally {
      await ssc.stop({ graceful: true });
    }
    assert.deepEqual(new Set(collectedValues()), new Set([...range('x', 0, 100), ...range('y', 0, 100), ...range('z', 0, 30)]));
    assert.equal(await recordsInLogs(k.admin, [first, second]), 230, 'each produced record is in the log once (else the producer, not the stream, duplicated it)');
    assert.equal(collectedValues().length, 230);
  });

  test('an undecodable record goes to the dead-letter topic with its reason; the rest are counted', async () => {
    const { k, producer } = kafka;
    jobs.resetCollected();
    const topic = uniqueName('decode');
    const deadTopic = uniqueName('decode-dead');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 2 }, { topic: deadTopic, numPartitions: 1 }], waitForLeaders: true });
    const good = Array.from({ length: 500 }, (_, i) => JSON.stringify({ n: i }));
    const bad = ['{not json', JSON.stringify({ n: 'seven' })];
    await produceValues(producer, topic, [...good.slice(0, 250), bad[0]!, ...good.slice(250), bad[1]!]);
    const { ssc } = await submit({ job, args: ['decode', k.brokers, topic, uniqueName('g'), deadTopic], conf, log: quiet });
    const dead: { value: string; headers: Record<string, string> }[] = [];
    const consumer = k.kafka.consumer({ groupId: uniqueName('dead-reader') });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: deadTopic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([key, v]) => [key, String(v)]));
          dead.push({ value: message.value!.toString(), headers });
        },
      });
      await waitFor(() => jobs.decoded.flatMap((b) => b.values).length >= 500 && dead.length >= 2, 30_000, 'decoded records and dead letters');
    } finally {
      await consumer.disconnect();
      await ssc.stop({ graceful: true });
    }
    const numbers = jobs.decoded.flatMap((b) => b.values.map((v) => v.n)).sort((a, b) => a - b);
    assert.deepEqual(numbers, Array.from({ length: 500 }, (_, i) => i));
    assert.deepEqual(dead.map((d) => d.value).sort(), [...bad].sort());
    const byValue = new Map(dead.map((d) => [d.value, d.headers]));
    assert.match(byValue.get('{not json')![DEAD_LETTER_HEADERS.reason]!, /^SyntaxError: /);
    assert.equal(byValue.get(bad[1]!)![DEAD_LETTER_HEADERS.reason], 'TypeError: field "n" is not a number');
    assert.equal(byValue.get(bad[1]!)![DEAD_LETTER_HEADERS.topic], topic);
    assert.match(byValue.get(bad[1]!)![DEAD_LETTER_HEADERS.offset]!, /^\d+$/);
  });
});
