import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FetchedMessage, KafkaRecord } from './kafka-record.js';
import { takeRecords, type FetchedPartition } from './fetched-partition.js';

function message(offset: number, batch: { first: number; lastDelta: number; producerId?: string; tx?: boolean; control?: boolean }, key: Buffer | null = null): FetchedMessage {
  return {
    offset: String(offset),
    timestamp: '1700000000000',
    key,
    value: Buffer.from(`v${offset}`),
    headers: {},
    isControlRecord: batch.control ?? false,
    batchContext: { firstOffset: String(batch.first), lastOffsetDelta: batch.lastDelta, producerId: batch.producerId ?? '-1', inTransaction: batch.tx ?? false },
  };
}

function partition(messages: FetchedMessage[], extra: Partial<FetchedPartition> = {}): FetchedPartition {
  return { partition: 0, highWatermark: '100', lastStableOffset: '100', abortedTransactions: [], messages, ...extra };
}

test('records below the fetch offset (from a compressed batch) are skipped, and reading stops at until', () => {
  const batch = { first: 0, lastDelta: 9 };
  const fetched = partition(Array.from({ length: 10 }, (_, i) => message(i, batch)));
  const out: KafkaRecord[] = [];
  assert.equal(takeRecords('t', fetched, 3, 7, out), 7);
  assert.deepEqual(out.map((r) => r.offset), [3, 4, 5, 6]);
});

test('compaction gaps and a compacted batch end still move the position past the batch', () => {
  // Batch [10, 19] kept only offsets 11 and 14.
  const batch = { first: 10, lastDelta: 9 };
  const out: KafkaRecord[] = [];
  const next = takeRecords('t', partition([message(11, batch), message(14, batch)]), 10, 50, out);
  assert.deepEqual(out.map((r) => r.offset), [11, 14]);
  assert.equal(next, 20);
});

test('aborted transactions and control markers are dropped, committed ones kept', () => {
  const aborted = { first: 0, lastDelta: 1, producerId: '7', tx: true };
  const abortMarker = { first: 2, lastDelta: 0, producerId: '7', tx: true, control: true };
  const committed = { first: 3, lastDelta: 1, producerId: '8', tx: true };
  const commitMarker = { first: 5, lastDelta: 0, producerId: '8', tx: true, control: true };
  const fetched = partition(
    [
      message(0, aborted),
      message(1, aborted),
      message(2, abortMarker, Buffer.from([0, 0, 0, 0])),
      message(3, committed),
      message(4, committed),
      message(5, commitMarker, Buffer.from([0, 0, 0, 1])),
    ],
    { abortedTransactions: [{ producerId: '7', firstOffset: '0' }] },
  );
  const out: KafkaRecord[] = [];
  assert.equal(takeRecords('t', fetched, 0, 6, out), 6);
  assert.deepEqual(out.map((r) => r.offset), [3, 4]);
});
