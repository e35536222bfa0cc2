import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatestStateWriter } from './latest-state-writer.js';

/** A write that ends when the test says so. */
function controlledWrites() {
  const started: { taken: number; finish: (err?: Error) => void }[] = [];
  const write = (taken: number) =>
    new Promise<void>((resolve, reject) => started.push({ taken, finish: (err) => (err ? reject(err) : resolve()) }));
  return { started, write };
}

const tick = () => new Promise((r) => setImmediate(r));

test('requests made during a write share the next one, which takes the state as it is when it starts', async () => {
  let state = 1;
  const { started, write } = controlledWrites();
  const writer = new LatestStateWriter(() => state, write);
  const done: string[] = [];
  const first = writer.request().then(() => done.push('first'));
  assert.deepEqual(started.map((s) => s.taken), [1]);
  state = 2;
  const second = writer.request().then(() => done.push('second'));
  state = 3;
  const third = writer.request().then(() => done.push('third'));
  state = 4;
  // Nothing more starts while a write is under way.
  assert.equal(started.length, 1);
  started[0]!.finish();
  await first;
  assert.deepEqual(done, ['first']);
  // One write for the two waiting requests, of the newest state.
  assert.deepEqual(started.map((s) => s.taken), [1, 4]);
  started[1]!.finish();
  await Promise.all([second, third]);
  assert.deepEqual(done, ['first', 'second', 'third']);
  assert.deepEqual(writer.counts, { requests: 3, writes: 2 });
  await writer.idle();
  // Idle again: the next request writes at once.
  void writer.request();
  assert.equal(started.length, 3);
  started[2]!.finish();
  await writer.idle();
});

test('a failed write rejects the requests it served; the writer goes on with the next', async () => {
  const { started, write } = controlledWrites();
  const writer = new LatestStateWriter(() => started.length, write);
  const failing = writer.request();
  const next = writer.request();
  started[0]!.finish(new Error('ENOSPC'));
  await assert.rejects(failing, /ENOSPC/);
  await tick();
  assert.equal(started.length, 2);
  started[1]!.finish();
  await next;
  await writer.idle();
});
