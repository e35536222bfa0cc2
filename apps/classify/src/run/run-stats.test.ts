import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunStats } from './run-stats';
import { formatSummary } from './summary-text';

describe('RunStats', () => {
  it('counts results, errors and labels, and times throughput from the first busy batch', () => {
    const launched = 1_000_000;
    const stats = new RunStats(launched, 'from the batch time to the result written');
    stats.batchStarted(1_001_000, 1_001_010);
    stats.addClassified(1_001_000, 'Neutral', 400, 1_001_500);
    stats.addClassified(1_001_000, 'Drawing', 400, 1_001_500);
    stats.addError(1_001_000, 'corrupt', 400, 1_001_500);
    stats.batchCompleted(1_001_000);
    stats.batchStarted(1_002_000, 1_002_000);
    stats.addClassified(1_002_000, 'Neutral', 1010, 1_003_010);
    stats.batchCompleted(1_002_000);
    const s = stats.summary(1_004_000);
    assert.equal(s.images, 4);
    assert.equal(s.classified, 3);
    assert.equal(s.errors, 1);
    assert.deepEqual(s.error_kinds, { corrupt: 1 });
    assert.deepEqual(s.top_labels, { Neutral: 2, Drawing: 1 });
    assert.equal(s.busy_ms, 2000);
    assert.equal(s.images_per_s, 2);
    assert.equal(s.startup_ms, 1500);
    assert.deepEqual(s.latency_ms, { p50: 400, p90: 1010, p99: 1010, max: 1010 });
    assert.equal(s.batches, 2);
    assert.equal(s.wall_ms, 4000);
    const text = formatSummary(s);
    assert.match(text, /^sluice-classify: 4 images in 4000 ms: 3 classified, 1 error \(corrupt 1\)$/m);
    assert.match(text, /throughput {2}2 images\/s/);
    assert.match(text, /startup {5}1500 ms from launch to the first result/);
    assert.match(text, /latency {5}p50 400 ms, p90 1010 ms, p99 1010 ms, max 1010 ms \(from the batch time to the result written\)/);
  });

  it('with Kafka output knows only batch totals', () => {
    const stats = new RunStats(0, 'from the batch time to the end of the batch');
    stats.batchStarted(1000, 1000);
    stats.addBatchTotals(1000, 10, 800, 1800);
    const s = stats.summary(2000);
    assert.equal(s.images, 10);
    assert.equal(s.classified, null);
    assert.equal(s.errors, null);
    assert.match(formatSummary(s), /10 images in 2000 ms: results written to Kafka by the executors/);
  });
});
