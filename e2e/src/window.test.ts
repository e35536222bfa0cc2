import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as jobs from '../fixtures/window-jobs.js';
import { start, waitFor } from './helpers.js';

const fixture = fileURLToPath(new URL('../fixtures/window-jobs.ts', import.meta.url));
const BATCH = 200;

/**
 * The reference: batch n (1-based: the n-th batch after the zero time) holds queue[n-1];
 * a window of `windowMs` at time T holds batches n - windowMs/BATCH + 1 .. n, never
 * before batch 1. Computed here without the engine.
 */
function windowBatches<T>(input: T[][], zero: number, time: number, windowMs: number): T[] {
  const n = (time - zero) / BATCH;
  const out: T[] = [];
  for (let k = Math.max(1, n - windowMs / BATCH + 1); k <= n; k++) out.push(...(input[k - 1] ?? []));
  return out;
}

function outputsOf(op: string) {
  return jobs.results.filter((r) => r.op === op);
}

function sortedEntries<V>(m: Map<string, V>): [string, V][] {
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

test('window, countByWindow, reduceByWindow and a window of a window, on 2 executors, equal the reference', async () => {
  jobs.results.length = 0;
  jobs.queue.length = 0;
  const input = [[1, 2, 3], [4, 5], [6], [], [7, 8, 9, 10], [11], [12, 13]];
  jobs.queue.push(...input.map((b) => [...b]));
  const { ssc } = await start({ job: fixture, args: ['plain'], conf: { executors: 2, batchDuration: BATCH }, log: () => {} });
  const zero = ssc.graph.zeroTime;
  // Through batch 10: every window that holds input, and the empty ones after it.
  await waitFor(() => outputsOf('window-every-batch').some((r) => r.time >= zero + 10 * BATCH), 20_000, '10 batches');
  await ssc.stop();

  for (const r of outputsOf('window')) {
    assert.equal((r.time - zero) % 400, 0, `window outputs only on its 400 ms slide, got ${r.time - zero}`);
    assert.deepEqual([...(r.value as number[])].sort((a, b) => a - b), windowBatches(input, zero, r.time, 600), `window at +${r.time - zero}`);
  }
  assert.deepEqual(outputsOf('window').slice(0, 5).map((r) => r.time - zero), [400, 800, 1200, 1600, 2000]);
  const everyBatch = outputsOf('window-every-batch');
  assert.deepEqual(everyBatch.slice(0, 5).map((r) => r.time - zero), [200, 400, 600, 800, 1000], 'slide defaults to the batch');
  for (const r of everyBatch) {
    assert.deepEqual([...(r.value as number[])].sort((a, b) => a - b), windowBatches(input, zero, r.time, 600));
  }
  for (const r of outputsOf('countByWindow')) {
    assert.deepEqual(r.value, [windowBatches(input, zero, r.time, 600).length], `count at +${r.time - zero}`);
  }
  for (const r of outputsOf('reduceByWindow')) {
    const values = windowBatches(input, zero, r.time, 600);
    assert.deepEqual(r.value, values.length === 0 ? [] : [values.reduce((a, b) => a + b)], `reduce at +${r.time - zero}`);
  }
  // window(600, 400) then window(800, 800): at T, the inner windows at T - 400 and T.
  const outer = outputsOf('window-of-window');
  assert.ok(outer.length >= 2);
  for (const r of outer) {
    assert.equal((r.time - zero) % 800, 0);
    const expected = [
      ...(r.time - 400 > zero ? windowBatches(input, zero, r.time - 400, 600) : []),
      ...windowBatches(input, zero, r.time, 600),
    ].sort((a, b) => a - b);
    assert.deepEqual([...(r.value as number[])].sort((a, b) => a - b), expected, `window of window at +${r.time - zero}`);
  }
  const total = input.flat().reduce((a, b) => a + b);
  assert.equal(outputsOf('reduceByWindow').reduce((s, r) => s + ((r.value as number[])[0] ?? 0), 0) > total, true, 'windows overlap');
});

test('reduceByKeyAndWindow, groupByKeyAndWindow and countByValueAndWindow on 2 executors equal the reference', async () => {
  jobs.results.length = 0;
  jobs.queue.length = 0;
  const input: [string, number][][] = [];
  let x = 7;
  for (let b = 0; b < 8; b++) {
    const batch: [string, number][] = [];
    for (let i = 0; i < 40 + b * 5; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      batch.push([`k${x % 13}`, (x >> 8) % 50]);
    }
    input.push(batch);
  }
  jobs.queue.push(...input.map((b) => [...b]));
  const { ssc } = await start({ job: fixture, args: ['keyed'], conf: { executors: 2, batchDuration: BATCH }, log: () => {} });
  const zero = ssc.graph.zeroTime;
  await waitFor(() => outputsOf('countByValueAndWindow').some((r) => r.time >= zero + 12 * BATCH), 20_000, '12 batches');
  await ssc.stop();

  const reduced = outputsOf('reduceByKeyAndWindow');
  assert.ok(reduced.length >= 6);
  for (const r of reduced) {
    const sums = new Map<string, number>();
    for (const [k, v] of windowBatches(input, zero, r.time, 600)) sums.set(k, (sums.get(k) ?? 0) + v);
    const got = r.value as [string, number][];
    assert.equal(got.length, sums.size, 'one record per key');
    assert.deepEqual(sortedEntries(new Map(got)), sortedEntries(sums), `reduceByKeyAndWindow at +${r.time - zero}`);
  }
  for (const r of outputsOf('groupByKeyAndWindow')) {
    const groups = new Map<string, number[]>();
    for (const [k, v] of windowBatches(input, zero, r.time, 600)) groups.set(k, [...(groups.get(k) ?? []), v]);
    const got = new Map((r.value as [string, number[]][]).map(([k, vs]) => [k, [...vs].sort((a, b) => a - b)]));
    for (const vs of groups.values()) vs.sort((a, b) => a - b);
    assert.deepEqual(sortedEntries(got), sortedEntries(groups), `groupByKeyAndWindow at +${r.time - zero}`);
  }
  for (const r of outputsOf('countByValueAndWindow')) {
    const counts = new Map<string, number>();
    for (const [k] of windowBatches(input, zero, r.time, 600)) counts.set(k, (counts.get(k) ?? 0) + 1);
    assert.deepEqual(sortedEntries(new Map(r.value as [string, number][])), sortedEntries(counts));
  }
});
