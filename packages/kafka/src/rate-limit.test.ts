import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clampUntilOffsets } from './rate-limit.js';

const limits = { maxRatePerPartition: 0, minRatePerPartition: 1, batchDurationMs: 500 };
const map = (entries: Record<string, number>) => new Map(Object.entries(entries));

test('without limits a batch takes everything up to the latest offsets', () => {
  const until = clampUntilOffsets(map({ 'a/0': 10, 'a/1': 0 }), map({ 'a/0': 5000, 'a/1': 3 }), limits);
  assert.deepEqual(Object.fromEntries(until), { 'a/0': 5000, 'a/1': 3 });
});

test('maxRatePerPartition caps each partition at rate x batch seconds', () => {
  const until = clampUntilOffsets(map({ 'a/0': 10, 'a/1': 0 }), map({ 'a/0': 5000, 'a/1': 300 }), { ...limits, maxRatePerPartition: 1000 });
  // 1000/s x 0.5 s = 500 records; partition 1 has only 300.
  assert.deepEqual(Object.fromEntries(until), { 'a/0': 510, 'a/1': 300 });
});

test('minRatePerPartition is the floor of a limited batch, as in Spark', () => {
  const until = clampUntilOffsets(map({ 'a/0': 0 }), map({ 'a/0': 100 }), { ...limits, maxRatePerPartition: 1, minRatePerPartition: 7 });
  assert.equal(until.get('a/0'), 7);
});

test('an estimated rate is shared in proportion to lag, capped by maxRatePerPartition', () => {
  const current = map({ 'a/0': 0, 'a/1': 0, 'a/2': 0 });
  const latest = map({ 'a/0': 3000, 'a/1': 1000, 'a/2': 0 });
  const until = clampUntilOffsets(current, latest, { ...limits, batchDurationMs: 1000, estimatedRate: 400 });
  assert.deepEqual(Object.fromEntries(until), { 'a/0': 300, 'a/1': 100, 'a/2': 0 });
  const capped = clampUntilOffsets(current, latest, { ...limits, batchDurationMs: 1000, estimatedRate: 400, maxRatePerPartition: 150 });
  assert.equal(capped.get('a/0'), 150);
});

test('a range never goes backwards when the log end is behind the position', () => {
  const until = clampUntilOffsets(map({ 'a/0': 50 }), map({ 'a/0': 20 }), limits);
  assert.equal(until.get('a/0'), 50);
});
