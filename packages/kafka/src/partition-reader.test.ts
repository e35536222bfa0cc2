import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompressionTypes, Partitioners } from 'kafkajs';
import { createCluster, type KafkaCluster } from './kafkajs-cluster.js';
import { commitGroupOffsets, fetchCommittedOffsets } from './group-offsets.js';
import { fetchLogOffsets } from './log-offsets.js';
import { readOffsetRange, type ReadOptions } from './partition-reader.js';
import { testKafka, uniqueName, type TestKafka } from './testing/test-kafka.js';

describe('reading offset ranges from a real broker', { timeout: 120_000 }, () => {
  let k: TestKafka;
  let topic: string;
  const clusters: KafkaCluster[] = [];
  const read = async (from: number, until: number, options: Partial<ReadOptions> = {}) => {
    const isolationLevel = options.isolationLevel ?? 'read_committed';
    const cluster = createCluster({ brokers: k.brokers.split(',') }, { isolationLevel });
    clusters.push(cluster);
    await cluster.connect();
    const records = await readOffsetRange(cluster, { topic, partition: 0, fromOffset: from, untilOffset: until }, {
      isolationLevel,
      fetchMaxBytes: options.fetchMaxBytes ?? 1 << 20,
      brokers: k.brokers,
    });
    return records.map((r) => [r.offset, r.value!.toString()]);
  };

  before(async () => {
    k = await testKafka();
    topic = uniqueName('reader');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const probe = createCluster({ brokers: k.brokers.split(',') }, { isolationLevel: 'read_committed' });
    clusters.push(probe);
    await probe.connect();
    await probe.addTargetTopic(topic);
    // EndTxn returns before the transaction's marker is written; wait for it, so the
    // offsets below are what the tests expect (and read_committed readers see the end).
    const waitForStableEnd = async (end: number) => {
      const deadline = Date.now() + 10_000;
      while ((await fetchLogOffsets(probe, [{ topic, partition: 0 }], 'latest')).get(`${topic}/0`) !== end) {
        if (Date.now() > deadline) throw new Error(`the last stable offset did not reach ${end}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const send = (values: string[]) => k.producer.send({ topic, messages: values.map((value) => ({ value, partition: 0 })) });
    // Offsets: plain 0-4, committed transaction 5-7 + marker 8, aborted 9-10 + marker 11, plain 12-15.
    await send(['p0', 'p1', 'p2', 'p3', 'p4']);
    const tx = k.kafka.producer({ transactionalId: uniqueName('reader-tx'), idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await tx.connect();
    const committed = await tx.transaction();
    await committed.send({ topic, messages: ['c0', 'c1', 'c2'].map((value) => ({ value, partition: 0 })) });
    await committed.commit();
    await waitForStableEnd(9);
    const aborted = await tx.transaction();
    await aborted.send({ topic, messages: ['a0', 'a1'].map((value) => ({ value, partition: 0 })) });
    await aborted.abort();
    await tx.disconnect();
    await waitForStableEnd(12);
    await send(['q0', 'q1', 'q2', 'q3']);
    await waitForStableEnd(16);
  });

  after(async () => {
    await Promise.all(clusters.map((c) => c.disconnect()));
    await k.admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await k.close();
  });

  test('read_committed: committed transactions in, aborted ones and markers out', async () => {
    assert.deepEqual(await read(0, 16), [
      [0, 'p0'], [1, 'p1'], [2, 'p2'], [3, 'p3'], [4, 'p4'],
      [5, 'c0'], [6, 'c1'], [7, 'c2'],
      [12, 'q0'], [13, 'q1'], [14, 'q2'], [15, 'q3'],
    ]);
  });

  test('read_uncommitted also sees the aborted records', async () => {
    const records = await read(0, 16, { isolationLevel: 'read_uncommitted' });
    assert.deepEqual(records.filter(([, v]) => String(v).startsWith('a')), [[9, 'a0'], [10, 'a1']]);
    assert.equal(records.length, 14);
  });

  test('a range inside the log, starting in a transaction and ending past markers', async () => {
    assert.deepEqual(await read(6, 13), [[6, 'c1'], [7, 'c2'], [12, 'q0']]);
  });

  test('a range past the end of the log stops at the end instead of waiting', async () => {
    const started = Date.now();
    assert.equal((await read(14, 1000)).length, 2);
    assert.ok(Date.now() - started < 5000);
  });

  test('small fetches: many requests, still exactly the range', async () => {
    assert.deepEqual((await read(0, 16, { fetchMaxBytes: 1024 })).map(([o]) => o), [0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15]);
  });

  test('gzip batches, keys and headers (repeated names too), from the middle of a compressed batch', async () => {
    const gz = uniqueName('reader-gzip');
    await k.admin.createTopics({ topics: [{ topic: gz, numPartitions: 1 }], waitForLeaders: true });
    await k.producer.send({
      topic: gz,
      compression: CompressionTypes.GZIP,
      messages: Array.from({ length: 20 }, (_, i) => ({
        partition: 0,
        key: i % 2 === 0 ? `k${i}` : null,
        value: `v${i}`,
        headers: i === 7 ? { one: 'a', many: ['x', 'y'] } : undefined,
      })),
    });
    const cluster = createCluster({ brokers: k.brokers.split(',') }, { isolationLevel: 'read_committed' });
    clusters.push(cluster);
    await cluster.connect();
    const records = await readOffsetRange(cluster, { topic: gz, partition: 0, fromOffset: 5, untilOffset: 12 }, { isolationLevel: 'read_committed', fetchMaxBytes: 1 << 20, brokers: k.brokers });
    assert.deepEqual(records.map((r) => [r.offset, r.key?.toString() ?? null, r.value!.toString()]), [
      [5, null, 'v5'], [6, 'k6', 'v6'], [7, null, 'v7'], [8, 'k8', 'v8'], [9, null, 'v9'], [10, 'k10', 'v10'], [11, null, 'v11'],
    ]);
    const withHeaders = records.find((r) => r.offset === 7)!;
    assert.equal(String(withHeaders.headers.one), 'a');
    assert.deepEqual((withHeaders.headers.many as Buffer[]).map(String), ['x', 'y']);
    assert.deepEqual(records.find((r) => r.offset === 8)!.headers, {});
    assert.ok(Math.abs(records[0]!.timestamp - Date.now()) < 60_000, 'timestamps are epoch milliseconds');
    await k.admin.deleteTopics({ topics: [gz] }).catch(() => undefined);
  });

  test('log offsets: earliest and the last stable end', async () => {
    const cluster = createCluster({ brokers: k.brokers.split(',') }, { isolationLevel: 'read_committed' });
    clusters.push(cluster);
    await cluster.connect();
    await cluster.addTargetTopic(topic);
    const tp = [{ topic, partition: 0 }];
    assert.equal((await fetchLogOffsets(cluster, tp, 'earliest')).get(`${topic}/0`), 0);
    assert.equal((await fetchLogOffsets(cluster, tp, 'latest')).get(`${topic}/0`), 16);
  });

  test('group offsets are committed without joining the group, and read back', async () => {
    const cluster = createCluster({ brokers: k.brokers.split(',') }, { isolationLevel: 'read_committed' });
    clusters.push(cluster);
    await cluster.connect();
    const group = uniqueName('reader-group');
    const tp = [{ topic, partition: 0 }];
    assert.equal((await fetchCommittedOffsets(cluster, group, tp)).size, 0);
    await commitGroupOffsets(cluster, group, new Map([[`${topic}/0`, 12]]));
    assert.deepEqual([...(await fetchCommittedOffsets(cluster, group, tp))], [[`${topic}/0`, 12]]);
    const fromAdmin = await k.admin.fetchOffsets({ groupId: group, topics: [topic] });
    assert.equal(fromAdmin[0]!.partitions[0]!.offset, '12');
  });
});
