import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ThroughputRate } from './source-rate';

describe('ThroughputRate', () => {
  it('starts at one inference batch per executor core per batch duration', () => {
    assert.equal(ThroughputRate.initialFor(2, 8, 1000).rate, 16);
    assert.equal(ThroughputRate.initialFor(4, 8, 500).rate, 64);
  });

  it('follows 1.5 x the throughput a batch showed, never below the first rate', () => {
    const r = ThroughputRate.initialFor(2, 8, 1000);
    assert.equal(r.batchCompleted({ numRecords: 16, processingDelay: 4000 }), 16, 'a slow first batch (model load) does not lower it');
    assert.equal(r.batchCompleted({ numRecords: 16, processingDelay: 1000 }), 24);
    assert.equal(r.batchCompleted({ numRecords: 24, processingDelay: 800 }), 45);
    assert.equal(r.batchCompleted({ numRecords: 0, processingDelay: 5 }), 45, 'an empty batch says nothing about throughput');
    assert.equal(r.batchCompleted({ numRecords: 45, processingDelay: null }), 45);
  });
});
