import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ShippedBlock, TaskSpec } from '@sluice/streaming/internal';
import { placeTask, type ExecutorSlots } from './task-placement.js';

function task(blocks: Partial<ShippedBlock>[], preferredExecutors: string[] = []): TaskSpec {
  return {
    preferredExecutors,
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

test('a task reading cached partitions goes to the executor keeping them when it has a free slot', () => {
  assert.deepEqual(placeTask(task([], ['1']), 0, two(3, 1), 0, 3000), { kind: 'run', executorId: '1' });
});

test('a task reading cached partitions waits for their busy executor, then runs elsewhere after the locality wait', () => {
  assert.deepEqual(placeTask(task([], ['1']), 1000, two(2, 0), 2000, 3000), { kind: 'wait', retryInMs: 2000 });
  assert.deepEqual(placeTask(task([], ['1']), 1000, two(2, 0), 4000, 3000), { kind: 'run', executorId: '0' });
});

test('a task whose cached partitions were on a dead executor runs at once wherever there is room', () => {
  const alive: ExecutorSlots[] = [{ id: '0', ready: true, free: 1 }];
  assert.deepEqual(placeTask(task([], ['1']), 0, alive, 0, 3000), { kind: 'run', executorId: '0' });
});

test('of several executors keeping its partitions, a task takes one with a free slot', () => {
  const three: ExecutorSlots[] = [
    { id: '0', ready: true, free: 5 },
    { id: '1', ready: true, free: 0 },
    { id: '2', ready: true, free: 1 },
  ];
  assert.deepEqual(placeTask(task([], ['1', '2']), 0, three, 0, 3000), { kind: 'run', executorId: '2' });
});
