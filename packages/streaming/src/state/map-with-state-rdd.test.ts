import assert from 'node:assert/strict';
import { test } from 'node:test';
import { updateStates, type MappingFunction } from './map-with-state-rdd.js';
import { StateMap } from './state-map.js';

const runningSum: MappingFunction<string, number, number, string> = (key, value, state) => {
  if (state.isTimingOut()) return `${key} timed out at ${state.get()}`;
  const next = (state.getOption() ?? 0) + value!;
  state.update(next);
  return `${key}=${next}`;
};

test('records update their key in arrival order; the mapped values come back per record', () => {
  const m = new StateMap<string, number>(0);
  const mapped = updateStates(m, [['a', 1], ['b', 5], ['a', 2]], runningSum, 1000, null);
  assert.deepEqual(mapped, ['a=1', 'b=5', 'a=3']);
  assert.equal(m.get('a')?.state, 3);
});

test('a key idle for longer than the timeout gets a last call, then is gone; a key with data is kept', () => {
  const m = new StateMap<string, number>(0);
  updateStates(m, [['idle', 1], ['busy', 1]], runningSum, 1000, 1000 - 500);
  // At 1600 with a 500 ms timeout the threshold is 1100: 'idle' (last updated at 1000) times out.
  const mapped = updateStates(m, [['busy', 1]], runningSum, 1600, 1600 - 500);
  assert.deepEqual(mapped, ['busy=2', 'idle timed out at 1']);
  assert.equal(m.get('idle'), undefined);
  assert.equal(m.get('busy')?.updatedAt, 1600);
});

test('remove() drops the key; update() of a timing-out state and get() of none throw', () => {
  const m = new StateMap<string, number>(0);
  m.put('gone', 1, 0);
  updateStates(m, [['gone', 0]], (_k, _v, state) => state.remove(), 100, null);
  assert.equal(m.get('gone'), undefined);
  assert.throws(() => updateStates(m, [['x', 1]], (_k, _v, state) => state.get(), 100, null), /has no state/);
  const t = new StateMap<string, number>(0);
  t.put('old', 1, 0);
  assert.throws(() => updateStates(t, [], (_k, _v, state) => state.update(2), 1000, 500), /timing out cannot be updated/);
});

test('without update() a key with a timeout still counts as active when it gets data', () => {
  const m = new StateMap<string, number>(0);
  m.put('k', 7, 0);
  updateStates(m, [['k', 1]], (_k, _v, state) => state.get(), 900, 500);
  assert.deepEqual(m.get('k'), { key: 'k', state: 7, updatedAt: 900 });
});
