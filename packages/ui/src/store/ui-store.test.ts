import assert from 'node:assert/strict';
import { test } from 'node:test';
import { routeApi } from '../api/rest-router.js';
import { syntheticRun } from '../testing/synthetic-events.js';
import { UiStore } from './ui-store.js';

test('the store keeps the newest retainedBatches batches, and their details only for the newest few', () => {
  const store = new UiStore({ retainedBatches: 1000, retainedBatchDetails: 100 });
  for (const e of syntheticRun({ batches: 1500 })) store.apply(e);
  assert.equal(store.batches.size, 1000);
  assert.equal(store.totals.completedBatches, 1500, 'totals count the whole run');
  assert.equal(store.totals.failedBatches, 15);
  const times = [...store.batches.keys()];
  assert.equal(times[0], 1_700_000_000_000 + 501 * 1000, 'the oldest 500 are gone');
  const detailed = [...store.batches.values()].filter((b) => b.detailKept);
  assert.equal(detailed.length, 100);
  assert.ok(detailed.every((b) => b.tasks.length === 1 && b.jobs.length === 1));
  assert.ok([...store.batches.values()].filter((b) => !b.detailKept).every((b) => b.tasks.length === 0));
});

test('statistics average over the retained batches, as Spark does', () => {
  const store = new UiStore({ retainedBatches: 10 });
  for (const e of syntheticRun({ batches: 30 })) store.apply(e);
  const stats = routeApi(store, '/api/v1/applications/app-synthetic/streaming/statistics', new URLSearchParams()).body as Record<string, number>;
  const kept = [...store.batches.values()].map((b) => b.info);
  assert.equal(stats['numRetainedCompletedBatches'], 10);
  assert.equal(stats['numTotalCompletedBatches'], 30);
  assert.equal(stats['avgProcessingTime'], kept.reduce((s, b) => s + b.processingDelay!, 0) / 10);
  assert.equal(stats['avgInputRate'], kept.reduce((s, b) => s + b.numRecords, 0) / 10);
});

test('the REST API pages batches newest first and refuses what it cannot answer', () => {
  const store = new UiStore();
  for (const e of syntheticRun({ batches: 120 })) store.apply(e);
  const q = (s: string) => new URLSearchParams(s);
  const base = '/api/v1/applications/app-synthetic/streaming';
  const page = routeApi(store, `${base}/batches`, q('offset=10&length=5')).body as { batchId: number }[];
  assert.deepEqual(
    page.map((b) => b.batchId),
    [110, 109, 108, 107, 106].map((i) => 1_700_000_000_000 + i * 1000),
  );
  const failed = routeApi(store, `${base}/batches/${1_700_000_000_000 + 100 * 1000}`, q('')).body as { firstFailureReason: string; tasks: unknown[] };
  assert.match(failed.firstFailureReason, /synthetic failure 99/);
  assert.equal(failed.tasks.length, 1);
  assert.equal(routeApi(store, `${base}/batches/1`, q('')).status, 404);
  assert.equal(routeApi(store, `${base}/batches/x1`, q('')).status, 400);
  assert.equal(routeApi(store, `${base}/batches`, q('length=ten')).status, 400);
  assert.equal(routeApi(store, `${base}/batches/1/operations/2`, q('')).status, 404);
  assert.equal(routeApi(store, '/api/v1/applications/nope/streaming/batches', q('')).status, 404);
});
