import assert from 'node:assert/strict';
import { sortedRecords } from '../property/generators.js';
import type { CollectedBatches } from '../collect-output.js';

/** Asserts that each batch holds the expected records, in any order; `label` names the operator. */
export function assertSameBatches(label: string, actual: readonly (readonly unknown[])[], expected: readonly (readonly unknown[])[]): void {
  assert.equal(actual.length, expected.length, `${label}: ${actual.length} output batches, expected ${expected.length}`);
  actual.forEach((batch, i) => {
    const got = sortedRecords(batch);
    const want = sortedRecords(expected[i]!);
    assert.deepEqual(got, want, `${label}: output ${i} differs from the reference model\n  got:      ${JSON.stringify(got)}\n  expected: ${JSON.stringify(want)}`);
  });
}

/** The records of each batch of one collected stream. */
export function recordsOf(batches: CollectedBatches<unknown> | undefined): unknown[][] {
  if (!batches) throw new Error('no such collected stream');
  return batches.map((b) => b.records);
}

/** Sorts the values of [key, values[]] records, whose order within a key is not part of the contract. */
export function withSortedValues(batch: readonly unknown[]): unknown[] {
  return batch.map((r) => {
    const [k, vs] = r as [unknown, number[]];
    return [k, [...vs].sort((a, b) => a - b)];
  });
}
