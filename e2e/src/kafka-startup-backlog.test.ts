import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { submit } from '@sluice/cli';
import type { BatchInfo } from '@sluice/streaming';
import * as jobs from '../fixtures/kafka-jobs.js';
import { assertContiguous } from '../fixtures/contiguous-ranges.js';
import { produceValues, range, uniqueName } from '../fixtures/kafka-helpers.js';
import { kafkaSuite } from '../fixtures/kafka-suite.js';
import { waitFor } from './helpers.js';

const job = fileURLToPath(new URL('../fixtures/kafka-jobs.ts', import.meta.url));
const quiet = () => {};

describe('Kafka start-up backlog with backpressure', { timeout: 150_000 }, () => {
  const kafka = kafkaSuite();

  test('the first batch is bounded by the initial rate, not the backlog; the backlog drains with every record counted once', async () => {
    const { k, producer } = kafka;
    jobs.resetCollected();
    const topic = uniqueName('backlog');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
    const backlog = 60_000;
    const all = range('b', 0, backlog);
    await produceValues(producer, topic, all, 2000);
    const initialRate = 8000; // records/s for the whole stream
    const batchMs = 500;
    // No maxRatePerPartition: without backpressure the first batch would take all 60,000.
    const { ssc } = await submit({
      job,
      args: ['count', k.brokers, topic, uniqueName('g')],
      conf: { executors: 2, batchDuration: batchMs, backpressureEnabled: true, backpressureInitialRate: initialRate },
      log: quiet,
    });
    const completed: BatchInfo[] = [];
    ssc.addStreamingListener({ onBatchCompleted: ({ batchInfo }) => completed.push(batchInfo) });
    try {
      await waitFor(() => jobs.batches.reduce((n, b) => n + b.values.length, 0) >= backlog, 120_000, `${backlog} records`);
    } finally {
      await ssc.stop({ graceful: true });
    }
    const withRecords = jobs.batches.filter((b) => b.values.length > 0).sort((a, b) => a.time - b.time);
    const sizes = withRecords.map((b) => b.values.length);
    // The first batch: rate x batch duration, shared between the 4 partitions by lag
    // (each partition's share rounded down, so never more).
    const bound = (initialRate * batchMs) / 1000;
    assert.ok(sizes[0]! > 0 && sizes[0]! <= bound, `first batch ${sizes[0]} records, bound ${bound}: ${sizes.join(' ')}`);
    const firstInfo = completed.find((b) => b.numRecords > 0)!;
    assert.equal(Object.values(firstInfo.streamIdToInputInfo)[0]?.rateLimit, initialRate, 'the first batch was cut under the initial rate');
    // Every batch under the initial rate is bounded the same way.
    for (const b of completed.filter((i) => i.numRecords > 0 && Object.values(i.streamIdToInputInfo)[0]?.rateLimit === initialRate)) {
      assert.ok(b.numRecords <= bound, `batch ${b.batchTime}: ${b.numRecords} records under the initial rate`);
    }
    // Exactly once: every record of the backlog, none twice, in contiguous ranges.
    const values = jobs.batches.flatMap((b) => b.values);
    assert.equal(values.length, backlog, 'no record twice');
    assert.deepEqual(new Set(values), new Set(all));
    assertContiguous([...jobs.batches].sort((a, c) => a.time - c.time));
    // It took several batches: the backlog did not land in one.
    assert.ok(withRecords.length >= 3, `the backlog in ${withRecords.length} batches: ${sizes.join(' ')}`);
  });
});
