import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Partitioners } from 'kafkajs';
import { counted } from '../fixtures/kafka-large-range-job.js';
import { testKafka, uniqueName, type TestKafka } from '../fixtures/kafka-helpers.js';
import { start, waitFor } from './helpers.js';

const job = fileURLToPath(new URL('../fixtures/kafka-large-range-job.ts', import.meta.url));
const MiB = 1024 * 1024;

/**
 * Size of the range: 256 MiB read with 1 MiB fetches. An executor that held the range
 * would need at least that much more memory (the values alone; views of 1 MiB fetch
 * buffers keep every buffer alive), while one that streams it holds a fetch and the one
 * read ahead. 256 MiB is twice the bound checked below and several times an idle
 * executor's whole RSS, so the two cannot be confused, yet it is produced and read in
 * seconds on a 2-core machine (500 MB, as first proposed, doubles that for no more proof).
 */
const RECORD_BYTES = 64 * 1024;
const RECORDS = 4096;
const PER_REQUEST = 8;
/**
 * Growth of the executor's peak RSS over its idle peak allowed while reading the range.
 * Two fetches are live at a time, but freed fetch buffers go back to the system only as
 * the garbage collector gets to them: on a busy machine the growth measured 17-34 MiB,
 * on an idle one, where the reader runs ahead of the collector, 65 MiB. Half the range
 * leaves room for that and still fails an executor that holds the range.
 */
const BOUND_BYTES = 128 * MiB;

/** Peak and current resident set of a process, from /proc (Linux). */
function memoryOf(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { peak: kib('VmHWM'), now: kib('VmRSS') };
}

describe('Kafka direct stream over a range far larger than an executor holds', { timeout: 180_000 }, () => {
  let k: TestKafka;
  before(async () => {
    k = await testKafka();
  });
  after(async () => {
    await k.close();
  });

  test('256 MiB in one offset range: counted exactly, executor memory bounded by the fetch size', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
    counted.length = 0;
    const topic = uniqueName('large-range');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    // The records are produced in one transaction: a read_committed stream sees none of
    // them until the commit, so the executor is measured idle first, and then the whole
    // topic arrives as one range of one batch. The commit marker takes an offset that
    // holds no record: count() has to read to be exact.
    const producer = k.kafka.producer({
      transactionalId: uniqueName('large-range-tx'),
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const { ssc, pool } = await start({
      job,
      args: [k.brokers, topic, uniqueName('g'), String(1 * MiB)],
      conf: { executors: 1, batchDuration: '500ms' },
      log: () => undefined,
    });
    try {
      const value = Buffer.alloc(RECORD_BYTES, 7);
      const tx = await producer.transaction();
      for (let i = 0; i < RECORDS; i += PER_REQUEST) {
        await tx.send({ topic, messages: Array.from({ length: PER_REQUEST }, (_, j) => ({ key: String(i + j), value })) });
      }
      await waitFor(() => counted.length >= 3, 30_000, 'three batches before the commit');
      assert.ok(counted.every((b) => b.empty && b.count === 0), 'an open transaction is not read');
      const [pid] = Object.values(pool.localExecutorPids);
      assert.ok(pid, 'a local executor process');
      const idle = memoryOf(pid);
      await tx.commit();
      await waitFor(() => counted.some((b) => b.count > 0), 120_000, 'the batch with the committed records');
      const after = memoryOf(pid);
      const full = counted.find((b) => b.count > 0)!;
      assert.equal(full.ranges.length, 1);
      assert.equal(full.ranges[0]!.untilOffset - full.ranges[0]!.fromOffset, RECORDS + 1, 'the range: every record and the commit marker');
      assert.equal(full.count, RECORDS, 'count() is exact: the marker is no record');
      assert.equal(full.empty, false);
      const growth = after.peak - idle.peak;
      process.stderr.write(
        `large range: ${(RECORDS * RECORD_BYTES) / MiB} MiB read; executor RSS idle ${(idle.now / MiB).toFixed(0)} MiB, ` +
          `peak ${(idle.peak / MiB).toFixed(0)} -> ${(after.peak / MiB).toFixed(0)} MiB (+${(growth / MiB).toFixed(0)} MiB)\n`,
      );
      assert.ok(growth < BOUND_BYTES, `reading the range raised the executor's peak RSS by ${(growth / MiB).toFixed(0)} MiB (bound ${BOUND_BYTES / MiB} MiB)`);
    } finally {
      await producer.disconnect().catch(() => undefined);
      await ssc.stop();
    }
  });

  test('countFromOffsets: count() and isEmpty() answer from the offsets without reading, markers included', async () => {
    counted.length = 0;
    const topic = uniqueName('count-offsets');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = k.kafka.producer({ transactionalId: uniqueName('count-offsets-tx'), idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      // 10 records in partition 0 and one commit marker after them: 11 offsets, 10 records.
      const tx = await producer.transaction();
      await tx.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: `v${i}` })) });
      await tx.commit();
    } finally {
      await producer.disconnect();
    }
    const { ssc } = await start({ job, args: [k.brokers, topic, uniqueName('g'), String(MiB), 'true'], conf: { executors: 1, batchDuration: '300ms' }, log: () => undefined });
    try {
      await waitFor(() => counted.length >= 2, 30_000, 'two batches');
    } finally {
      await ssc.stop();
    }
    const [first, second] = counted;
    // Answered from the offsets: the marker counts, which is why the option is off by default.
    assert.equal(first!.count, 11);
    assert.equal(first!.empty, false);
    assert.equal(second!.count, 0);
    assert.equal(second!.empty, true);
  });
});
