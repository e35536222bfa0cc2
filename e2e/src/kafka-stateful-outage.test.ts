import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { submit } from '@sluice/cli';
import { freePort, startLocalBroker, type LocalBroker } from '@sluice/kafka-broker';
import { checkLines } from '../chaos/chaos-checker.js';
import { sequenceLine } from '../chaos/sequence-line.js';
import * as jobs from '../fixtures/kafka-jobs.js';
import { connectTo, idempotentProducer, readCommitted, type TestKafka } from '../fixtures/kafka-helpers.js';
import { sleep, waitFor } from './helpers.js';

const job = fileURLToPath(new URL('../fixtures/kafka-jobs.ts', import.meta.url));
const KEYS = 6;
/** Longer than the transactional producer's own retries (about 8 s): the batch's transaction fails. */
const OUTAGE_MS = 12_000;

async function produce(k: TestKafka, topic: string, from: number, count: number): Promise<void> {
  const producer = await idempotentProducer(k.kafka);
  try {
    const lines = Array.from({ length: count }, (_, j) => sequenceLine(from + j, KEYS));
    await producer.send({ topic, messages: lines.map((l) => ({ key: l.split(',')[0]!, value: l })) });
  } finally {
    await producer.disconnect();
  }
}

// A running count per key over the direct stream, written by the exactly-once output;
// the broker goes away just before a batch with records writes its transaction, for
// longer than the producer retries. The counts must stay exact: the batch is already in
// the state, so it must be written when Kafka is back, not read again.
test('a stateful exactly-once job keeps exact counts across a broker outage that fails a transaction', { timeout: 180_000 }, async () => {
  jobs.resetCollected();
  const port = await freePort();
  const brokers = `127.0.0.1:${port}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'sluice-stateful-outage-'));
  // Held in an object: the hook below replaces them while the test awaits.
  const live: { broker: LocalBroker | null; k: TestKafka | null; outage: Promise<void> | null } = { broker: null, k: null, outage: null };
  live.broker = await startLocalBroker({ port, dataDir, log: () => undefined });
  live.k = await connectTo(brokers);
  await live.k.admin.createTopics({ topics: [{ topic: 'in', numPartitions: 3 }, { topic: 'out', numPartitions: 1 }], waitForLeaders: true });
  await produce(live.k, 'in', 0, 600);
  jobs.hooks.beforeWrite = async (time) => {
    jobs.hooks.beforeWrite = null;
    jobs.logLines.push(`test: stopping the broker before batch ${time} writes`);
    await live.k?.close();
    live.k = null;
    await live.broker?.stop();
    live.broker = null;
    live.outage = (async () => {
      await sleep(OUTAGE_MS);
      live.broker = await startLocalBroker({ port, dataDir, log: () => undefined });
      live.k = await connectTo(brokers);
    })();
  };
  const { ssc } = await submit({ job, args: ['eos-count', brokers, 'in', 'eos-count-group', 'out'], conf: { executors: 2, batchDuration: '500ms' }, log: () => {} });
  try {
    await waitFor(() => live.outage !== null, 30_000, 'a batch with records');
    await live.outage;
    if (!live.k) throw new Error('the broker did not come back');
    await produce(live.k, 'in', 600, 600);
    const values = await readCommitted(live.k.kafka, 'out', 1200, 60_000);
    const c = checkLines([{ source: 'out', lines: values }], 1200, KEYS);
    const log = jobs.logLines.join('\n');
    assert.equal(c.lost, 0, `${c.examples.join('; ')}\n${log}`);
    assert.equal(c.duplicateOutputs, 0, `${c.examples.join('; ')}\n${log}`);
    assert.equal(c.duplicateDeliveries, 0, `${c.examples.join('; ')}\n${log}`);
    assert.deepEqual(c.keysWithWrongCounts, [], `${c.examples.join('; ')}\n${log}`);
    assert.equal(c.recordsOut, 1200);
    // The transaction did fail, and was written again once the broker was back.
    assert.ok(jobs.logLines.some((l) => l.includes('exactly-once output') && l.includes('works again')), log);
  } finally {
    jobs.hooks.beforeWrite = null;
    await ssc.stop({ graceful: true });
    await (live.outage ?? Promise.resolve()).catch(() => undefined);
    await live.k?.close();
    await live.broker?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
