import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OffsetTracker } from './offset-tracker.js';

function tracker(): OffsetTracker {
  const t = new OffsetTracker();
  t.track('t/0', 0);
  t.track('t/1', 100);
  return t;
}

test('batches are contiguous: each starts where the previous ended', () => {
  const t = tracker();
  const b1 = t.cutBatch(1000, new Map([['t/0', 10], ['t/1', 150]]));
  const b2 = t.cutBatch(2000, new Map([['t/0', 25], ['t/1', 150]]));
  assert.deepEqual(b1.ranges.map((r) => [r.partition, r.fromOffset, r.untilOffset]), [[0, 0, 10], [1, 100, 150]]);
  assert.deepEqual(b2.ranges.map((r) => [r.partition, r.fromOffset, r.untilOffset]), [[0, 10, 25], [1, 150, 150]]);
});

test('commits advance only through contiguous processed ranges', () => {
  const t = tracker();
  const b1 = t.cutBatch(1000, new Map([['t/0', 10]]));
  const b2 = t.cutBatch(2000, new Map([['t/0', 20]]));
  const b3 = t.cutBatch(3000, new Map([['t/0', 30]]));
  // Batch 2 done first (as if batch 1 had failed): nothing may be committed past the hole.
  assert.deepEqual([...t.markProcessed(b2.ranges)], []);
  assert.deepEqual([...t.markProcessed(b1.ranges)], [['t/0', 20]]);
  t.confirmCommitted(new Map([['t/0', 20]]));
  assert.deepEqual([...t.markProcessed(b3.ranges)], [['t/0', 30]]);
});

test('a failed batch rewinds the positions to its ranges once, in a new epoch', () => {
  const t = tracker();
  t.cutBatch(1000, new Map([['t/0', 10]]));
  t.cutBatch(2000, new Map([['t/0', 20]]));
  assert.equal(t.isCurrent(2000), true);
  assert.equal(t.rewindTo(1000), true);
  assert.equal(t.positions.get('t/0'), 0);
  assert.equal(t.isCurrent(2000), false, 'batches cut before the rewind are stale');
  assert.equal(t.rewindTo(2000), false, 'a stale batch failing does not rewind again');
  const again = t.cutBatch(3000, new Map([['t/0', 20]]));
  assert.deepEqual(again.ranges.map((r) => [r.fromOffset, r.untilOffset]), [[0, 20]]);
});

test('resetTo moves positions and committed offsets to what Kafka says', () => {
  const t = tracker();
  t.cutBatch(1000, new Map([['t/0', 10], ['t/1', 120]]));
  t.resetTo(new Map([['t/0', 4]]));
  assert.equal(t.positions.get('t/0'), 4);
  assert.equal(t.committedOffsets.get('t/0'), 4);
  assert.equal(t.positions.get('t/1'), 120, 'partitions Kafka said nothing about keep their position');
  assert.equal(t.isCurrent(1000), false);
});

test('only batches with records count as in flight', () => {
  const t = tracker();
  t.cutBatch(1000, new Map([['t/0', 0]]));
  t.cutBatch(2000, new Map([['t/0', 5]]));
  assert.equal(t.batchesInFlight, 1);
  t.finishBatch(2000);
  assert.equal(t.batchesInFlight, 0);
});
