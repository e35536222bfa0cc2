import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchTimeOf, PartitionCache, type CachedPartitionId } from './partition-cache.js';
import { estimateRecordsSize } from './size-estimator.js';

/** Each record counts as one byte, so limits read as record counts. */
const oneBytePerRecord = (records: readonly unknown[]) => records.length;

test('a kept partition is returned as the same records; a missing one is undefined', () => {
  const cache = new PartitionCache({ maxBytes: 100, sizeOf: oneBytePerRecord });
  const records = ['a', 'b'];
  assert.equal(cache.put('d1.0@1000', 0, records), true);
  assert.equal(cache.get('d1.0@1000', 0), records);
  assert.equal(cache.get('d1.0@1000', 1), undefined);
  assert.equal(cache.get('d1.0@2000', 0), undefined);
  assert.deepEqual([cache.hits, cache.misses], [1, 2]);
  assert.equal(cache.usedBytes, 2);
});

test('over the limit, the least recently used partitions of other RDDs are evicted, and reported', () => {
  const evicted: CachedPartitionId[] = [];
  const cache = new PartitionCache({ maxBytes: 10, sizeOf: oneBytePerRecord, onEvicted: (e) => evicted.push(...e) });
  cache.put('a@1', 0, new Array(4).fill(0));
  cache.put('b@1', 0, new Array(4).fill(0));
  cache.get('a@1', 0); // a is now more recently used than b
  assert.equal(cache.put('c@1', 0, new Array(4).fill(0)), true);
  assert.deepEqual(evicted, [{ rddId: 'b@1', partition: 0 }]);
  assert.deepEqual(cache.list(), [
    { rddId: 'a@1', partition: 0 },
    { rddId: 'c@1', partition: 0 },
  ]);
  assert.equal(cache.usedBytes, 8);
  assert.equal(cache.evictions, 1);
});

test('several partitions are evicted, oldest first, until the new one fits', () => {
  const evicted: CachedPartitionId[] = [];
  const cache = new PartitionCache({ maxBytes: 10, sizeOf: oneBytePerRecord, onEvicted: (e) => evicted.push(...e) });
  for (const [i, id] of ['a@1', 'b@1', 'c@1', 'd@1', 'e@1'].entries()) cache.put(id, i, [1, 2]);
  assert.equal(cache.put('f@1', 0, new Array(7).fill(0)), true);
  // 10 bytes held, 7 more wanted: 4 of the 2-byte partitions go, the newest stays.
  assert.deepEqual(evicted.map((e) => e.rddId), ['a@1', 'b@1', 'c@1', 'd@1']);
  assert.equal(cache.usedBytes, 2 + 7);
});

test('a partition larger than the whole limit is not kept and evicts nothing', () => {
  const cache = new PartitionCache({ maxBytes: 5, sizeOf: oneBytePerRecord });
  cache.put('a@1', 0, [1, 2, 3]);
  assert.equal(cache.put('b@1', 0, new Array(6).fill(0)), false);
  assert.equal(cache.get('b@1', 0), undefined);
  assert.deepEqual(cache.list(), [{ rddId: 'a@1', partition: 0 }]);
});

test('partitions of the RDD being put are not evicted for it: the new partition is refused instead', () => {
  const cache = new PartitionCache({ maxBytes: 6, sizeOf: oneBytePerRecord });
  cache.put('a@1', 0, [1, 2, 3]);
  cache.put('a@1', 1, [1, 2, 3]);
  assert.equal(cache.put('a@1', 2, [1, 2, 3]), false);
  assert.deepEqual(cache.list().map((p) => p.partition), [0, 1]);
});

test('putting a partition again replaces it and its size', () => {
  const cache = new PartitionCache({ maxBytes: 10, sizeOf: oneBytePerRecord });
  cache.put('a@1', 0, [1, 2, 3]);
  cache.put('a@1', 0, [1]);
  assert.equal(cache.usedBytes, 1);
  assert.deepEqual(cache.get('a@1', 0), [1]);
});

test('removeBatchesUpTo drops the partitions of RDDs of batches up to that time only', () => {
  const cache = new PartitionCache({ maxBytes: 100, sizeOf: oneBytePerRecord });
  cache.put('d1.0@1000', 0, [1]);
  cache.put('d2.0@2000', 0, [1]);
  cache.put('o0.1@2000', 1, [1]);
  cache.put('d1.0@3000', 0, [1]);
  const removed = cache.removeBatchesUpTo(2000);
  assert.deepEqual(removed.map((p) => `${p.rddId}#${p.partition}`).sort(), ['d1.0@1000#0', 'd2.0@2000#0', 'o0.1@2000#1']);
  assert.deepEqual(cache.list(), [{ rddId: 'd1.0@3000', partition: 0 }]);
  assert.equal(cache.usedBytes, 1);
});

test('batchTimeOf reads the batch out of an RDD id', () => {
  assert.equal(batchTimeOf('d7.0@1795317889000'), 1795317889000);
  assert.equal(batchTimeOf('o2.3@0'), 0);
});

test('the size estimate grows with the records and counts string bytes', () => {
  const small = estimateRecordsSize(Array.from({ length: 1000 }, (_, i) => [`w${i % 10}`, i] as [string, number]));
  const large = estimateRecordsSize(Array.from({ length: 1000 }, (_, i) => [`w${i % 10}`.repeat(100), i] as [string, number]));
  assert.ok(small > 1000 * 40, `1000 small pairs: ${small}`);
  assert.ok(large > small + 1000 * 150, `1000 pairs with 200-char keys: ${large} vs ${small}`);
  assert.ok(estimateRecordsSize(new Array(10_000).fill(1)) < 10_000 * 16, 'small integers cost their slot only');
});
