import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatencyHistogram } from './latency-histogram.js';

describe('LatencyHistogram', () => {
  it('gives nearest-rank percentiles at 1 ms resolution', () => {
    const h = new LatencyHistogram(1000);
    for (let ms = 1; ms <= 100; ms++) h.add(ms);
    assert.equal(h.percentile(50), 50);
    assert.equal(h.percentile(90), 90);
    assert.equal(h.percentile(99), 99);
    assert.equal(h.percentile(100), 100);
    assert.equal(h.max, 100);
  });

  it('keeps values past its range to the second, and the true maximum', () => {
    const h = new LatencyHistogram(100);
    h.add(10, 9);
    h.add(5000);
    assert.equal(h.count, 10);
    assert.equal(h.percentile(50), 10);
    assert.equal(h.percentile(100), 5000);
    // A backlog: latencies from 1 to 1000 s, far past the 1 ms range.
    const backlog = new LatencyHistogram(1000);
    for (let s = 1; s <= 1000; s++) backlog.add(s * 1000 - 300);
    assert.equal(backlog.percentile(50), 500_000);
    assert.equal(backlog.percentile(90), 900_000);
    assert.equal(backlog.max, 999_700);
    assert.equal(backlog.percentile(100), 999_700);
  });

  it('has no percentiles when empty', () => {
    assert.equal(new LatencyHistogram().percentile(50), null);
  });
});
