import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunStats } from './run-stats.js';
import { formatSummary } from './summary-text.js';

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
    assert.equal(text.trimEnd().split('\n').at(-1), '  batches     2, none failed');
  });

  it('shows the ten most frequent labels by their first synonym, and how many more there are', () => {
    const stats = new RunStats(0, 'x');
    stats.batchStarted(1000, 1000);
    for (let i = 0; i < 12; i++) for (let j = 0; j <= i; j++) stats.addClassified(1000, `label ${i}, synonym of ${i}`, 10, 1010);
    stats.batchCompleted(1000);
    const line = formatSummary(stats.summary(2000)).split('\n').find((l) => l.startsWith('  top labels'));
    assert.equal(line, '  top labels  label 11 12, label 10 11, label 9 10, label 8 9, label 7 8, label 6 7, label 5 6, label 4 5, label 3 4, label 2 3 (and 2 more labels)');
  });

  it('counts failed batches, and says so in the last line', () => {
    const stats = new RunStats(0, 'x');
    stats.batchCompleted(1000);
    stats.batchCompleted(2000, true);
    stats.batchCompleted(3000, true);
    const s = stats.summary(4000);
    assert.equal(s.batches, 3);
    assert.equal(s.failed_batches, 2);
    assert.equal(formatSummary(s).trimEnd().split('\n').at(-1), '  batches     3, 2 failed');
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

  it('separates start-up from the time the backlog took', () => {
    const stats = new RunStats(1_000_000, 'from the Kafka record timestamp to the result written');
    stats.batchStarted(1_001_000, 1_003_000);
    stats.addClassified(1_001_000, 'tabby', 100, 1_004_000);
    stats.batchLag(16, 284, 1_005_000);
    stats.batchLag(40, 244, 1_007_000);
    stats.batchLag(244, 0, 1_024_000);
    stats.batchLag(0, 0, 1_025_000);
    const s = stats.summary(1_030_000);
    assert.equal(s.startup_ms, 4000);
    assert.equal(s.backlog_images, 300);
    assert.equal(s.backlog_drain_ms, 20_000);
    assert.match(formatSummary(s), /backlog {5}300 images waiting at the start, worked off 20(\.0)? ?s after the first result \(15\.0 images\/s\)/);
    const live = new RunStats(1_000_000, 'x');
    live.batchLag(0, 0, 1_001_000);
    live.batchLag(5, 0, 1_002_000);
    assert.equal(live.summary().backlog_images, 0);
    assert.equal(live.summary().backlog_drain_ms, null);
  });
});
