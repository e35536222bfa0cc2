import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBlockInto } from './block-rdd.js';
import type { ShippedBlock } from './task-env.js';

test('a block made of several runs yields each record, copying only those that span runs', () => {
  // Records: "ab" | "cdef" spanning runs 0-1 | "gh" | "" | "ijklmn" spanning runs 2-3-4
  const runs = [Buffer.from('xabcd'), Buffer.from('efgh'), Buffer.from('ij'), Buffer.from('kl'), Buffer.from('mnz')];
  const offsets = Uint32Array.from([1, 3, 3, 7, 7, 9, 9, 9, 9, 15]);
  const block: ShippedBlock = { blockId: 'b', encoding: 'frames', count: 5, segments: runs, byteLength: 16, offsets };
  const out: Buffer[] = [];
  decodeBlockInto(block, (b) => b, out);
  assert.deepEqual(out.map(String), ['ab', 'cdef', 'gh', '', 'ijklmn']);
  assert.equal(out[0]!.buffer, runs[0]!.buffer, 'a record inside one run is a view of it');
});

test('a block whose bytes are on another executor says so instead of reading nothing', () => {
  const block: ShippedBlock = { blockId: 'input-0-3', encoding: 'frames', count: 1, segments: null, byteLength: 4, offsets: Uint32Array.from([0, 4]), heldBy: '1' };
  assert.throws(() => decodeBlockInto(block, (b) => b, []), /input-0-3 is held by executor 1/);
});
