import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ShippedBlock, TaskSpec } from '@sluice/streaming';
import { placeTask, type ExecutorSlots } from './task-placement';

function task(blocks: Partial<ShippedBlock>[]): TaskSpec {
  return {
    batchTime: 0, zeroTime: 0, broadcasts: [], outputOp: 0, actionIndex: 0, actionKind: 'count', stageRdd: 'r', partition: 0, shuffleId: '',
    inputsJson: '{}', shuffleInputs: [], priorActionResults: new Uint8Array(0),
    inputPartitions: [{
      rddId: 'r', partition: 0,
      blocks: blocks.map((b, i) => ({ blockId: `input-0-${i}`, encoding: 'frames', count: 10, segments: [Buffer.alloc(1)], byteLength: 1, offsets: null, ...b })),
    }],
  };
}

const two = (free0: number, free1: number): ExecutorSlots[] => [
  { id: '0', ready: true, free: free0 },
  { id: '1', ready: true, free: free1 },
];

test('a task without held blocks goes to the executor with the most free slots', () => {
  assert.deepEqual(placeTask(task([{}]), 0, two(1, 2), 0, 3000), { kind: 'run', executorId: '1' });
});

test('a block kept only on one executor pins its task there, waiting while it is busy', () => {
  const t = task([{ heldBy: '0', segments: null }]);
  assert.deepEqual(placeTask(t, 0, two(1, 2), 0, 3000), { kind: 'run', executorId: '0' });
  assert.deepEqual(placeTask(t, 0, two(0, 2), 60_000, 3000), { kind: 'wait', retryInMs: null }, 'no fallback without a copy');
});

test('a block whose only executor is gone fails its task with the block and the remedy', () => {
  const p = placeTask(task([{ heldBy: '7', segments: null }]), 0, two(1, 1), 0, 3000);
  assert.equal(p.kind, 'lost');
  assert.match((p as { message: string }).message, /input-0-0 \(10 records\) was lost with executor 7.*blockReplication to 2/);
});

test('with a copy on the driver a task prefers the holder, then runs elsewhere after the locality wait', () => {
  const t = task([{ heldBy: '0' }]);
  assert.deepEqual(placeTask(t, 0, two(1, 1), 10, 3000), { kind: 'run', executorId: '0' });
  assert.deepEqual(placeTask(t, 0, two(0, 1), 1000, 3000), { kind: 'wait', retryInMs: 2000 });
  assert.deepEqual(placeTask(t, 0, two(0, 1), 3000, 3000), { kind: 'run', executorId: '1' });
  assert.deepEqual(placeTask(t, 0, [{ id: '1', ready: true, free: 1 }], 10, 3000), { kind: 'run', executorId: '1' }, 'holder gone: run at once');
});
