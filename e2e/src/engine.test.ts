import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { OutputOperationInfo } from '@sluice/streaming';
import * as wordcount from '../fixtures/socket-wordcount-job.js';
import * as queueJobs from '../fixtures/queue-jobs.js';
import { listen, start, median, sleep, waitFor } from './helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

test('word count over a socket with 2 executors is exact over at least 5 batches', async () => {
  wordcount.batches.length = 0;
  const vocabulary = ['stream', 'batch', 'block', 'task', 'executor', 'partition', 'shuffle'];
  const expected = new Map<string, number>();
  let sent = 0;
  const { server, port } = await listen((socket) => {
    // ~2.5 s of text: several lines every 20 ms, spread over 5+ batches of 400 ms.
    const timer = setInterval(() => {
      if (sent >= 125) {
        clearInterval(timer);
        socket.end();
        return;
      }
      const lines: string[] = [];
      for (let i = 0; i < 3; i++) {
        const words = Array.from({ length: 1 + ((sent * 7 + i) % 9) }, (_, k) => vocabulary[(sent + k * i) % vocabulary.length]!);
        for (const w of words) expected.set(w, (expected.get(w) ?? 0) + 1);
        lines.push(words.join(' '));
      }
      socket.write(lines.join('\n') + '\n');
      sent++;
    }, 20);
  });
  const logs: string[] = [];
  const { ssc } = await start({
    job: fixture('socket-wordcount-job.ts'),
    args: ['127.0.0.1', String(port)],
    conf: { executors: 2, batchDuration: '400ms', blockInterval: '100ms', receiverRestartDelay: 60_000 },
    log: (l) => logs.push(l),
  });
  await waitFor(() => sent >= 125, 20_000, 'the sender to finish');
  await sleep(300);
  await ssc.stop({ graceful: true });
  server.close();

  const totals = new Map<string, number>();
  const nonEmpty = wordcount.batches.filter((b) => b.counts.length > 0);
  for (const b of wordcount.batches) for (const [w, n] of b.counts) totals.set(w, (totals.get(w) ?? 0) + n);
  assert.ok(nonEmpty.length >= 5, `expected at least 5 non-empty batches, got ${nonEmpty.length}`);
  assert.deepEqual(new Map([...totals].sort()), new Map([...expected].sort()));
  const times = wordcount.batches.map((b) => b.time);
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'batches complete in time order');
  for (const t of times) assert.equal(t % 400, 0, 'batch times are multiples of the batch duration');
});

for (const [batchMs, blockMs] of [
  [1000, 200],
  [1000, 500],
] as const) {
  test(`partitions per batch follow batch duration / block interval (${batchMs} / ${blockMs})`, async () => {
    wordcount.inputPartitions.length = 0;
    const { server, port } = await listen((socket) => {
      const timer = setInterval(() => socket.write('a steady stream of words\n'), 5);
      socket.on('close', () => clearInterval(timer));
      socket.on('error', () => clearInterval(timer));
    });
    const { ssc } = await start({
      job: fixture('socket-wordcount-job.ts'),
      args: ['127.0.0.1', String(port)],
      conf: { executors: 2, batchDuration: batchMs, blockInterval: blockMs },
      log: () => {},
    });
    await waitFor(() => wordcount.inputPartitions.length >= 5, 15_000, '5 batches');
    await ssc.stop();
    server.close();
    // The first batch starts before the receiver has run a whole batch; skip it.
    const steady = wordcount.inputPartitions.slice(1).map((b) => b.partitions);
    assert.equal(median(steady), batchMs / blockMs, `partitions per batch: ${steady.join(', ')}`);
  });
}

test('a throwing user function fails its batch with message, stack and partition; the next batch succeeds', async () => {
  queueJobs.results.length = 0;
  queueJobs.queue.length = 0;
  queueJobs.queue.push(['a', 'b'], ['c', 'boom', 'd'], ['e', 'f']);
  const completed: OutputOperationInfo[] = [];
  const logs: string[] = [];
  const { ssc } = await start({
    job: fixture('queue-jobs.ts'),
    args: ['throwing'],
    conf: { executors: 2, batchDuration: '300ms' },
    log: (l) => logs.push(l),
  });
  ssc.addStreamingListener({ onOutputOperationCompleted: (e) => completed.push(e.outputOperationInfo) });
  await waitFor(() => completed.length >= 3, 15_000, 'three batches');
  await ssc.stop();

  const failed = completed.filter((c) => c.failureReason !== null);
  assert.equal(failed.length, 1, 'exactly one batch failed');
  const failure = failed[0]!.failure!;
  assert.match(failure.message, /cannot process record "boom"/);
  assert.match(failure.stack, /queue-jobs\.ts/);
  // ['c', 'boom', 'd'] in 2 slices: 'boom' lies in the first (['c']) or second (['boom', 'd']).
  assert.equal(failure.partition, 1);
  assert.ok(failure.executorId.length > 0);
  const outputs = queueJobs.results.map((r) => r.value);
  assert.deepEqual(outputs.slice(0, 2), [['A', 'B'], ['E', 'F']]);
  const printed = logs.filter((l) => l.includes('cannot process record "boom"'));
  assert.equal(printed.length, 1, 'the failure is printed once');
  assert.match(printed[0]!, /partition 1/);
});

test('reduceByKey across 4 partitions on 2 executors equals the same reduction in plain code', async () => {
  queueJobs.results.length = 0;
  queueJobs.queue.length = 0;
  const pairs: [string, number][] = [];
  let x = 42;
  for (let i = 0; i < 20_000; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    pairs.push([`key-${x % 997}`, (x >> 8) % 100]);
  }
  queueJobs.queue.push(pairs);
  const { ssc, pool } = await start({
    job: fixture('queue-jobs.ts'),
    args: ['reduce'],
    conf: { executors: 2, batchDuration: '500ms' },
    log: () => {},
  });
  await waitFor(() => queueJobs.results.length >= 1, 15_000, 'the batch');
  assert.equal(pool.executorIds.length, 2);
  await ssc.stop();
  const expected = new Map<string, number>();
  for (const [k, v] of pairs) expected.set(k, (expected.get(k) ?? 0) + v);
  const { partitions, pairs: got } = queueJobs.results[0]!.value as { partitions: number; pairs: [string, number][] };
  assert.equal(partitions, 4);
  assert.equal(got.length, expected.size, 'each key appears once');
  assert.deepEqual(new Map(got), expected);
});

test('collectPartitions hands each partition to the driver as its task finishes, before the job ends', async () => {
  queueJobs.results.length = 0;
  queueJobs.queue.length = 0;
  queueJobs.queue.push([1, 2, 3, 4, 5, 6]);
  const { ssc } = await start({ job: fixture('queue-jobs.ts'), args: ['each-partition'], conf: { executors: 2, batchDuration: '500ms' }, log: () => {} });
  await waitFor(() => queueJobs.results.some((r) => (r.value as { done?: boolean }).done), 15_000, 'the batch');
  await ssc.stop();
  const values = queueJobs.results.map((r) => r.value as { partition?: number; items?: number[]; done?: boolean; at: number });
  const p0 = values.find((v) => v.partition === 0)!;
  const p1 = values.find((v) => v.partition === 1)!;
  const done = values.find((v) => v.done)!;
  assert.deepEqual([...p0.items!, ...p1.items!].sort(), [1, 2, 3, 4, 5, 6]);
  assert.ok(p1.at - p0.at >= 1000, `partition 0 came ${p1.at - p0.at} ms before partition 1, which runs 1.5 s longer`);
  assert.ok(done.at >= p1.at, 'the job ends after its last partition was handed over');
});

test('operators: count, glom, repartition, union, countByValue, transform and two actions in one output', async () => {
  queueJobs.results.length = 0;
  queueJobs.queue.length = 0;
  const batch = Array.from({ length: 30 }, (_, i) => i);
  queueJobs.queue.push(batch, []);
  const { ssc } = await start({
    job: fixture('queue-jobs.ts'),
    args: ['operators'],
    conf: { executors: 2, batchDuration: '500ms' },
    log: () => {},
  });
  await waitFor(() => queueJobs.results.length >= 14, 20_000, 'two batches of seven outputs');
  await ssc.stop();
  const first = queueJobs.results.filter((r) => r.time === queueJobs.results[0]!.time).map((r) => r.value as { op: string; out: any; partitions?: number });
  const second = queueJobs.results.filter((r) => r.time !== queueJobs.results[0]!.time).map((r) => r.value as { op: string; out: any });
  const byOp = (list: typeof first, op: string) => list.find((v) => v.op === op)!;
  assert.deepEqual(byOp(first, 'count').out, [30]);
  assert.deepEqual(byOp(second, 'count').out, [0], 'count of an empty batch is 0');
  assert.deepEqual(byOp(first, 'glom').out.flat(), batch);
  assert.equal(byOp(first, 'glom').out.length, 3);
  assert.equal(byOp(first, 'repartition').partitions, 5);
  assert.deepEqual([...byOp(first, 'repartition').out].sort((a: number, b: number) => a - b), batch);
  assert.deepEqual([...byOp(first, 'union').out].sort((a: number, b: number) => a - b), batch);
  assert.deepEqual(new Map(byOp(first, 'countByValue').out), new Map([[0, 10], [1, 10], [2, 10]]));
  assert.deepEqual([...byOp(first, 'transform').out].sort((a: number, b: number) => a - b), batch.map((n) => n * 10).filter((n) => n > 20));
  assert.deepEqual(byOp(first, 'two-actions').out, { n: 30, firstTwo: ['n0', 'n1'] });
});

test('an executor killed mid-batch: its tasks run again elsewhere and the result is exact', async () => {
  queueJobs.results.length = 0;
  queueJobs.queue.length = 0;
  const numbers = Array.from({ length: 1000 }, (_, i) => i + 1);
  queueJobs.queue.push(numbers);
  const removed: string[] = [];
  const { ssc, pool } = await start({
    job: fixture('queue-jobs.ts'),
    args: ['slow-sum'],
    conf: { executors: 2, batchDuration: '500ms' },
    log: () => {},
  });
  ssc.addStreamingListener({ onExecutorRemoved: (e) => removed.push(e.executorId) });
  // Tasks take 400 ms each: kill executor 0 while the first batch's tasks run.
  await waitFor(() => ssc.completedBatches.length === 0 && Date.now() % 500 > 200, 5000, 'a batch in flight');
  await sleep(600);
  const victim = Object.entries(pool.localExecutorPids)[0]!;
  process.kill(victim[1], 'SIGKILL');
  await waitFor(() => queueJobs.results.length >= 1, 20_000, 'the batch to finish');
  await ssc.stop();
  assert.deepEqual(queueJobs.results[0]!.value, [500_500]);
  assert.ok(removed.includes(victim[0]), 'the killed executor is reported');
});
