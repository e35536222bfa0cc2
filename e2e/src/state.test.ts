import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { submit } from '@sluice/cli';
import * as stateJobs from '../fixtures/state-jobs.js';
import { start, waitFor } from './helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** Batch b: a few keys with small values; every 7th record is a 0 (drop/remove the key). */
function makeBatches(n: number, seed = 1): [string, number][][] {
  let x = seed;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'seed'];
  return Array.from({ length: n }, (_, b) =>
    Array.from({ length: b % 5 === 4 ? 0 : 1 + Math.floor(next() * 8) }, (_, i) => {
      const key = keys[Math.floor(next() * (b < n / 2 ? keys.length : 3))]!;
      return [key, (b * 31 + i) % 7 === 0 ? 0 : 1 + Math.floor(next() * 5)] as [string, number];
    }),
  );
}

/** updateStateByKey's semantics, independently of the engine. */
function modelUpdate(batches: [string, number][][], numBatches: number): [string, number][][] {
  let state = new Map<string, number>([['seed', 100]]);
  const out: [string, number][][] = [];
  for (let b = 0; b < numBatches; b++) {
    const values = new Map<string, number[]>();
    for (const [k, v] of batches[b] ?? []) values.set(k, [...(values.get(k) ?? []), v]);
    const next = new Map<string, number>();
    for (const k of new Set([...state.keys(), ...values.keys()])) {
      const vs = values.get(k) ?? [];
      if (vs.includes(0)) continue;
      next.set(k, vs.reduce((a, c) => a + c, state.get(k) ?? 0));
    }
    state = next;
    out.push([...state].sort());
  }
  return out;
}

/** mapWithState's semantics (running count, removal on 0, timeout), independently of the engine. */
function modelMap(batches: [string, number][][], times: number[], timeoutMs: number) {
  const state = new Map<string, { v: number; t: number }>([['seed', { v: 100, t: times[0]! }]]);
  return times.map((time, b) => {
    const mapped: string[] = [];
    for (const [k, v] of batches[b] ?? []) {
      if (v === 0) {
        state.delete(k);
        mapped.push(`${k}:removed`);
        continue;
      }
      const next = (state.get(k)?.v ?? 0) + v;
      state.set(k, { v: next, t: time });
      mapped.push(`${k}:${next}`);
    }
    for (const [k, s] of [...state]) {
      if (s.t < time - timeoutMs) {
        mapped.push(`${k}:timeout:${s.v}`);
        state.delete(k);
      }
    }
    return { mapped: mapped.sort(), snapshot: [...state].map(([k, s]) => [k, s.v] as [string, number]).sort() };
  });
}

function byOp(op: string) {
  return stateJobs.results.filter((r) => r.op === op).sort((a, b) => a.time - b.time);
}

test('updateStateByKey over 30 batches matches the model; checkpoints keep the lineage short', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-state-test-'));
  stateJobs.results.length = 0;
  stateJobs.lineageDepths.length = 0;
  stateJobs.queue.length = 0;
  const batches = makeBatches(30);
  stateJobs.queue.push(...batches);
  const { ssc } = await start({
    job: fixture('state-jobs.ts'),
    args: ['update', '600ms'],
    conf: { executors: 2, batchDuration: '200ms', checkpointDir: dir },
    log: () => {},
  });
  await waitFor(() => byOp('totals').length >= 34, 30_000, '34 batches');
  await ssc.stop();
  const got = byOp('totals').map((r) => (r.value as [string, number][]).sort());
  const want = modelUpdate(batches, got.length);
  assert.deepEqual(got, want);
  const depths = stateJobs.lineageDepths;
  assert.ok(Math.max(...depths.slice(20)) <= Math.max(...depths.slice(3, 10)), `lineage grows: ${depths.join(',')}`);
  assert.ok(readdirSync(dir).some((f) => f.startsWith('rdd-')), 'checkpoint files were written');
  await rm(dir, { recursive: true, force: true });
});

test('updateStateByKey in local mode (--master local[2]) matches the model too', async () => {
  stateJobs.results.length = 0;
  stateJobs.queue.length = 0;
  const batches = makeBatches(20, 2);
  stateJobs.queue.push(...batches);
  const { ssc } = await submit({
    job: fixture('state-jobs.ts'),
    args: ['update', '600ms'],
    conf: { master: 'local[2]', batchDuration: '200ms' },
    log: () => {},
  });
  try {
    await waitFor(() => byOp('totals').length >= 24, 30_000, '24 batches');
  } finally {
    await ssc.stop();
  }
  const got = byOp('totals').map((r) => (r.value as [string, number][]).sort());
  assert.deepEqual(got, modelUpdate(batches, got.length));
});

test('mapWithState: running counts, removal, timeouts and snapshots over 30 batches match the model', async () => {
  stateJobs.results.length = 0;
  stateJobs.queue.length = 0;
  const batches = makeBatches(30, 7);
  stateJobs.queue.push(...batches);
  const { ssc } = await start({
    job: fixture('state-jobs.ts'),
    args: ['map', '600ms', '0', '400ms'],
    conf: { executors: 2, batchDuration: '200ms' },
    log: () => {},
  });
  await waitFor(() => byOp('snapshot').length >= 34, 30_000, '34 batches');
  await ssc.stop();
  // The stop may come between a batch's two outputs: compare the batches that have both.
  const mapped = byOp('mapped');
  const snapshots = byOp('snapshot');
  const n = Math.min(mapped.length, snapshots.length);
  const want = modelMap(batches, mapped.slice(0, n).map((r) => r.time), 400);
  assert.deepEqual(
    mapped.slice(0, n).map((r) => (r.value as string[]).sort()),
    want.map((w) => w.mapped),
  );
  assert.deepEqual(
    snapshots.slice(0, n).map((r) => (r.value as [string, number][]).sort()),
    want.map((w) => w.snapshot),
  );
});

/** Per-key sums over each window, independently of the engine (windows end every slideMs). */
function modelWindow(
  batches: [string, number][][],
  firstBatchTime: number,
  batchMs: number,
  windowTimes: number[],
  windowMs: number,
  keepZeros = false,
) {
  return windowTimes.map((end) => {
    const sums = new Map<string, number>();
    for (let t = end - windowMs + batchMs; t <= end; t += batchMs) {
      for (const [k, v] of batches[(t - firstBatchTime) / batchMs] ?? []) sums.set(k, (sums.get(k) ?? 0) + v);
    }
    return [...sums].filter(([, v]) => keepZeros || v !== 0).sort();
  });
}

test('reduceByKeyAndWindow with an inverse function over 30 batches matches a plain recomputation of every window', async () => {
  stateJobs.results.length = 0;
  stateJobs.batchTimes.length = 0;
  stateJobs.lineageDepths.length = 0;
  stateJobs.queue.length = 0;
  const batches = makeBatches(30, 3);
  stateJobs.queue.push(...batches);
  const { ssc } = await start({
    job: fixture('state-jobs.ts'),
    args: ['window', '800ms'],
    conf: { executors: 2, batchDuration: '200ms' },
    log: () => {},
  });
  await waitFor(() => byOp('window').length >= 18, 30_000, '18 windows');
  await ssc.stop();
  const windows = byOp('window');
  const first = Math.min(...stateJobs.batchTimes);
  const want = modelWindow(batches, first, 200, windows.map((w) => w.time), 1000);
  assert.deepEqual(
    windows.map((w) => (w.value as [string, number][]).sort()),
    want,
  );
  const depths = stateJobs.lineageDepths;
  assert.ok(Math.max(...depths.slice(12)) <= Math.max(...depths.slice(2, 8)), `lineage grows: ${depths.join(',')}`);
});

test('an executor killed (kill -9) in the middle of a state update: every later state is still exact', async () => {
  stateJobs.results.length = 0;
  stateJobs.queue.length = 0;
  const batches = makeBatches(30, 11);
  stateJobs.queue.push(...batches);
  const removed: string[] = [];
  const { ssc, pool } = await start({
    job: fixture('state-jobs.ts'),
    // The update function takes 60 ms a key: tasks are always running.
    args: ['update', '600ms', '60'],
    conf: { executors: 2, batchDuration: '200ms' },
    log: () => {},
  });
  ssc.addStreamingListener({ onExecutorRemoved: (e) => removed.push(e.executorId) });
  // After the first checkpoints, while a batch's state tasks run.
  await waitFor(() => byOp('totals').length >= 8, 30_000, '8 batches');
  const victim = Object.entries(pool.localExecutorPids)[0]!;
  process.kill(victim[1], 'SIGKILL');
  await waitFor(() => byOp('totals').length >= 32, 60_000, '32 batches');
  await ssc.stop();
  assert.ok(removed.includes(victim[0]), 'the killed executor is reported');
  const got = byOp('totals').map((r) => (r.value as [string, number][]).sort());
  assert.deepEqual(got, modelUpdate(batches, got.length));
});

test('an executor killed (kill -9) in the middle of an inverse window: every later window is still exact', async () => {
  stateJobs.results.length = 0;
  stateJobs.batchTimes.length = 0;
  stateJobs.queue.length = 0;
  const batches = makeBatches(30, 5);
  stateJobs.queue.push(...batches);
  const removed: string[] = [];
  const { ssc, pool } = await start({
    job: fixture('state-jobs.ts'),
    args: ['window', '800ms', '60'],
    conf: { executors: 2, batchDuration: '200ms' },
    log: () => {},
  });
  ssc.addStreamingListener({ onExecutorRemoved: (e) => removed.push(e.executorId) });
  await waitFor(() => byOp('window').length >= 5, 30_000, '5 windows');
  const victim = Object.entries(pool.localExecutorPids)[1]!;
  process.kill(victim[1], 'SIGKILL');
  await waitFor(() => byOp('window').length >= 18, 60_000, '18 windows');
  await ssc.stop();
  assert.ok(removed.includes(victim[0]), 'the killed executor is reported');
  const windows = byOp('window');
  const want = modelWindow(batches, Math.min(...stateJobs.batchTimes), 200, windows.map((w) => w.time), 1000);
  assert.deepEqual(
    windows.map((w) => (w.value as [string, number][]).sort()),
    want,
  );
});

test('an executor killed (kill -9) in the middle of a plain window: every later window is still exact', async () => {
  stateJobs.results.length = 0;
  stateJobs.batchTimes.length = 0;
  stateJobs.queue.length = 0;
  const batches = makeBatches(30, 7);
  stateJobs.queue.push(...batches);
  const removed: string[] = [];
  const { ssc, pool } = await start({
    job: fixture('state-jobs.ts'),
    // 60 ms per key of each window: the window's tasks are running when the kill comes.
    args: ['plain-window', '800ms', '60'],
    conf: { executors: 2, batchDuration: '200ms' },
    log: () => {},
  });
  ssc.addStreamingListener({ onExecutorRemoved: (e) => removed.push(e.executorId) });
  // Once the window is full: the batches it merges are cached on both executors.
  await waitFor(() => byOp('plain-window').length >= 5, 30_000, '5 windows');
  const victim = Object.entries(pool.localExecutorPids)[0]!;
  process.kill(victim[1], 'SIGKILL');
  await waitFor(() => byOp('plain-window').length >= 18, 60_000, '18 windows');
  await ssc.stop();
  assert.ok(removed.includes(victim[0]), 'the killed executor is reported');
  const windows = byOp('plain-window');
  // Every slide has its window (none failed because of the kill), each exact.
  for (let i = 1; i < windows.length; i++) assert.equal(windows[i]!.time - windows[i - 1]!.time, 400);
  const want = modelWindow(batches, Math.min(...stateJobs.batchTimes), 200, windows.map((w) => w.time), 1000, true);
  assert.deepEqual(
    windows.map((w) => (w.value as [string, number][]).sort()),
    want,
  );
});

test('an executor killed (kill -9) in the middle of a mapWithState update: every later output and snapshot is still exact', async () => {
  stateJobs.results.length = 0;
  stateJobs.queue.length = 0;
  const batches = makeBatches(30, 13);
  stateJobs.queue.push(...batches);
  const removed: string[] = [];
  const logs: string[] = [];
  const { ssc, pool } = await start({
    job: fixture('state-jobs.ts'),
    // The mapping function takes 60 ms a record: tasks are always running.
    args: ['map', '600ms', '60', '400ms'],
    conf: { executors: 2, batchDuration: '200ms' },
    log: (l) => logs.push(l),
  });
  ssc.addStreamingListener({ onExecutorRemoved: (e) => removed.push(e.executorId) });
  await waitFor(() => byOp('snapshot').length >= 8, 30_000, '8 batches');
  const victim = Object.entries(pool.localExecutorPids)[0]!;
  process.kill(victim[1], 'SIGKILL');
  await waitFor(() => byOp('snapshot').length >= 32, 60_000, '32 batches');
  await ssc.stop();
  assert.ok(removed.includes(victim[0]), 'the killed executor is reported');
  const mapped = byOp('mapped');
  const times = mapped.map((r) => r.time);
  // Every batch has its output (none failed because of the kill).
  const failures = logs.filter((l) => / failed: /.test(l) && !/stopp(ed|ing)/.test(l));
  assert.deepEqual(failures, []);
  assert.deepEqual(times.slice(0, 30), times.slice(0, 30).map((_, i) => times[0]! + i * 200), 'an output is missing');
  // The stop may come between a batch's two outputs: compare the batches that have both.
  const snapshots = byOp('snapshot');
  const n = Math.min(mapped.length, snapshots.length);
  const want = modelMap(batches, times.slice(0, n), 400);
  assert.deepEqual(mapped.slice(0, n).map((r) => (r.value as string[]).sort()), want.map((w) => w.mapped));
  assert.deepEqual(snapshots.slice(0, n).map((r) => (r.value as [string, number][]).sort()), want.map((w) => w.snapshot));
});
