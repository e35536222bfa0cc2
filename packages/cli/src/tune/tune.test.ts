import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultGrid, gridPoints, narrowGrid } from './grid.js';
import { gridSearchMs, STARTUP_MS } from './search-estimate.js';
import { nextRate, niceRate, type PointResult } from './rate-search.js';
import { recommend } from './recommend.js';
import { judgeWindow, slope, type BatchSample } from './sustained.js';
import type { TrialResult } from './trial.js';
import { parseTuneArgs } from './tune-options.js';

const batch = (schedulingDelay: number, processingDelay = 100, numRecords = 1000): BatchSample => ({
  batchTime: 0,
  numRecords,
  schedulingDelay,
  processingDelay,
  totalDelay: schedulingDelay + processingDelay,
});

test('a window is sustained when the delay is flat, batches finish in time and hold the records sent', () => {
  const v = judgeWindow([batch(5), batch(8), batch(4), batch(6), batch(5)], { batchDurationMs: 500, rate: 2000 });
  assert.equal(v.sustained, true, v.reason);
  assert.equal(v.receivedRate, 2000);
  assert.equal(v.medianLatencyMs, 105 + 250);
});

test('a growing scheduling delay, slow batches or missing records are not sustained', () => {
  const rule = { batchDurationMs: 500, rate: 2000 };
  const growing = judgeWindow([0, 150, 300, 450, 600].map((d) => batch(d, 480)), rule);
  assert.equal(growing.sustained, false);
  assert.match(growing.reason, /scheduling delay grew by 600 ms over 5 batches/);
  const slow = judgeWindow([batch(0, 600), batch(0, 600), batch(0, 600)], rule);
  assert.match(slow.reason, /processing took 600 ms per 500 ms batch/);
  const short = judgeWindow([batch(0, 100, 500), batch(0, 100, 500), batch(0, 100, 500)], rule);
  assert.match(short.reason, /batches held 1000 records\/s of the 2000 sent/);
  assert.equal(judgeWindow([batch(0)], rule).sustained, false);
});

test('slope is the least-squares growth per batch', () => {
  assert.equal(slope([0, 10, 20, 30]), 10);
  assert.equal(slope([5, 5, 5]), 0);
});

test('the rate doubles until a failure, then bisects until the bracket is within the precision', () => {
  const o = { precision: 0.1, minRate: 1 };
  assert.equal(nextRate({ maxRate: 2000, failedRate: null }, o), 4000);
  assert.equal(nextRate({ maxRate: 4000, failedRate: 8000 }, o), 6000);
  assert.equal(nextRate({ maxRate: 6000, failedRate: 6500 }, o), null);
  assert.equal(nextRate({ maxRate: 0, failedRate: 2000 }, o), 1000);
  assert.equal(nextRate({ maxRate: 0, failedRate: 1.5 }, o), null);
  assert.equal(niceRate(1234), 1200);
  assert.equal(niceRate(3.46), 3.5);
});

test('the default grid fits the default budget with its verification; the old 12-point grid did not', () => {
  const defaults = parseTuneArgs(['job.ts']);
  for (const source of ['text', 'images'] as const) {
    const o = { startupMs: STARTUP_MS[source], warmupBatches: defaults.warmupBatches, windowBatches: defaults.windowBatches, precision: defaults.precision, verifyMs: defaults.verifyMs };
    const need = gridSearchMs(gridPoints(defaultGrid(source), source), o);
    assert.ok(need <= defaults.budgetMs, `${source}: the default grid needs about ${Math.round(need / 1000)} s of a ${defaults.budgetMs / 1000} s budget`);
  }
  const text = { startupMs: STARTUP_MS.text, warmupBatches: 3, windowBatches: 6, precision: 0.1, verifyMs: 20_000 };
  const old = gridPoints(narrowGrid(defaultGrid('text'), ['batch=500ms,1s,2s;partitions=2,4']), 'text');
  assert.equal(old.length, 12);
  assert.ok(gridSearchMs(old, text) > defaults.budgetMs, 'the estimate tells a grid that cannot be narrowed in time');
});

test('--grid narrows the default grid and says what it does not understand', () => {
  const g = narrowGrid(defaultGrid('text'), ['batch=250ms,1s;executors=2x2', 'partitions=3']);
  assert.deepEqual(gridPoints(g, 'text'), [
    { batchMs: 250, executors: 2, cores: 2, partitions: 3 },
    { batchMs: 1000, executors: 2, cores: 2, partitions: 3 },
  ]);
  assert.equal(gridPoints(narrowGrid(defaultGrid('images'), ['batch=1s;executors=1;batch-size=4']), 'images')[0]!.batchSize, 4);
  assert.throws(() => narrowGrid(defaultGrid('text'), ['executors=two']), /not EXECUTORSxCORES/);
  assert.throws(() => parseTuneArgs(['--source', 'images', 'job.ts']), /--source images needs --images DIR/);
  assert.deepEqual(parseTuneArgs(['--budget', '2m', 'job.ts', 'a', '--b']).jobArgs, ['a', '--b']);
});

test('the recommendation follows the goal: the highest rate, or the lowest latency at a rate', () => {
  const trial = (rate: number, sustained: boolean, medianLatencyMs: number) => ({ rate, sustained, medianLatencyMs }) as TrialResult;
  const result = (batchMs: number, trials: TrialResult[]): PointResult => {
    const ok = trials.filter((t) => t.sustained).sort((a, b) => b.rate - a.rate);
    return { point: { batchMs, executors: 1, cores: 1, partitions: 2 }, maxRate: ok[0]?.rate ?? 0, failedRate: null, best: ok[0] ?? null, trials, converged: true };
  };
  const results = [
    result(500, [trial(1000, true, 400), trial(2000, true, 600), trial(4000, false, 0)]),
    result(2000, [trial(1000, true, 1500), trial(8000, true, 2500)]),
  ];
  assert.equal(recommend(results, { kind: 'throughput' })!.point.batchMs, 2000);
  const low = recommend(results, { kind: 'latency', rate: 1000 })!;
  assert.equal(low.point.batchMs, 500);
  assert.equal(low.trial.medianLatencyMs, 400);
  assert.equal(recommend(results, { kind: 'latency', rate: 9000 }), null);
});
