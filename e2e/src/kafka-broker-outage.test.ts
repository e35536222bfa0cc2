import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { submit } from '@sluice/cli';
import { freePort, startLocalBroker, type LocalBroker } from '@sluice/kafka-broker';
import * as jobs from '../fixtures/kafka-jobs.js';
import { connectTo, produceValues, range, type TestKafka } from '../fixtures/kafka-helpers.js';
import { sleep, waitFor } from './helpers.js';

const job = fileURLToPath(new URL('../fixtures/kafka-jobs.ts', import.meta.url));

function collected(): string[] {
  return jobs.batches.flatMap((b) => b.values);
}

// This test stops and restarts the broker, so it always runs its own (on a fixed port
// and data directory, which survive a restart), whatever KAFKA_BROKERS says.
test('a broker down at start, and gone mid-stream, delays the stream without losing or repeating records', { timeout: 150_000 }, async () => {
  jobs.resetCollected();
  const port = await freePort();
  const brokers = `127.0.0.1:${port}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'sluice-outage-'));
  const topic = 'outage';
  let broker: LocalBroker | null = null;
  let k: TestKafka | null = null;
  const startBroker = async () => {
    broker = await startLocalBroker({ port, dataDir, log: () => undefined });
    k = await connectTo(brokers);
    return k;
  };
  const stopBroker = async () => {
    await k?.close();
    k = null;
    await broker?.stop();
    broker = null;
  };
  const { ssc } = await submit({ job, args: ['count', brokers, topic, 'outage-group'], conf: { executors: 2, batchDuration: '500ms' }, log: () => {} });
  try {
    // Down at start: a clear error, once, naming the brokers.
    await waitFor(() => jobs.logLines.some((l) => l.includes(`cannot reach the Kafka brokers ${brokers}`)), 15_000, 'the unreachable-broker error');
    await sleep(1500);
    assert.equal(jobs.logLines.filter((l) => l.includes('cannot reach')).length, 1, `reported once, not every batch:\n${jobs.logLines.join('\n')}`);

    let kafka = await startBroker();
    await kafka.admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
    await produceValues(kafka.producer, topic, range('before-', 0, 1000));
    await waitFor(() => collected().length >= 1000, 30_000, 'the records written once the broker was up');
    assert.ok(jobs.logLines.some((l) => l.includes('works again')), jobs.logLines.join('\n'));

    // Gone mid-stream: batches get no ranges (rather than skipping offsets) until it is back.
    await stopBroker();
    const linesBefore = jobs.logLines.length;
    await waitFor(() => jobs.logLines.slice(linesBefore).some((l) => l.includes('cannot reach')), 15_000, 'the lost-broker error');
    await sleep(1000);
    kafka = await startBroker();
    await produceValues(kafka.producer, topic, range('after-', 0, 1000));
    await waitFor(() => collected().length >= 2000, 45_000, 'the records written after the broker came back');
    await sleep(1000);
  } finally {
    await ssc.stop({ graceful: true });
    await stopBroker();
    await rm(dataDir, { recursive: true, force: true });
  }
  const values = collected();
  assert.deepEqual(new Set(values), new Set([...range('before-', 0, 1000), ...range('after-', 0, 1000)]));
  assert.equal(values.length, 2000, 'no record twice');
  const next = new Map<string, number>();
  for (const b of jobs.batches) {
    for (const r of b.ranges) {
      const key = `${r.topic}-${r.partition}`;
      assert.equal(r.fromOffset, next.get(key) ?? 0, `${key}: ranges are contiguous across the outage`);
      next.set(key, r.untilOffset);
    }
  }
});
