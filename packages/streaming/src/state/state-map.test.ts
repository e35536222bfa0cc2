import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StateMap } from './state-map';

const contents = (m: StateMap<string, number>) =>
  [...m.entries()].map((e) => [e.key, e.state, e.updatedAt] as const).sort((a, b) => a[0].localeCompare(b[0]));

test('a transition moves the map to the new batch; one that throws leaves it exactly as it was', () => {
  const m = new StateMap<string, number>(1);
  m.put('a', 1, 1);
  m.put('b', 2, 1);
  assert.throws(
    () =>
      m.transition(2, () => {
        m.put('a', 10, 2);
        m.remove('b');
        m.put('c', 3, 2);
        m.put('c', 4, 2);
        throw new Error('user function failed');
      }),
    /user function failed/,
  );
  assert.equal(m.version, 1);
  assert.deepEqual(contents(m), [['a', 1, 1], ['b', 2, 1]]);
  m.transition(2, () => {
    m.put('a', 10, 2);
    m.remove('b');
  });
  assert.equal(m.version, 2);
  assert.deepEqual(contents(m), [['a', 10, 2]]);
});

test('a copy holds the same states and changes independently', () => {
  const m = new StateMap<string, number>(1);
  m.put('a', 1, 1);
  const c = m.copy(1);
  c.put('a', 2, 2);
  assert.equal(m.get('a')?.state, 1);
  assert.equal(c.get('a')?.state, 2);
});

test('keys that are tuples meet as equal keys', () => {
  const m = new StateMap<[string, number], number>(0);
  m.put(['a', 1], 5, 0);
  m.put(['a', 1], 6, 1);
  assert.equal(m.size, 1);
  assert.equal(m.get(['a', 1])?.state, 6);
});

test('columns for checkpoints round-trip, update times and version included', () => {
  const m = new StateMap<string, number>(200);
  m.put('x', 1, 100);
  m.put('y', 2, 200);
  const back = StateMap.fromColumns(200, m.toColumns());
  assert.deepEqual(contents(back), contents(m));
  assert.equal(back.version, 200);
});

test('idleSince finds the keys last updated before the threshold', () => {
  const m = new StateMap<string, number>(0);
  m.put('old', 1, 100);
  m.put('new', 2, 300);
  assert.deepEqual([...m.idleSince(200)].map((e) => e.key), ['old']);
});

test('estimatedSize grows with the keys held and nothing walks them by reflection', () => {
  const small = new StateMap<number, number>(0);
  const big = new StateMap<number, number>(0);
  for (let i = 0; i < 10; i++) small.put(i, i, 0);
  for (let i = 0; i < 10_000; i++) big.put(i, i, 0);
  assert.ok(big.estimatedSize() > 500 * small.estimatedSize());
  assert.deepEqual(Object.keys(big), ['version']);
});
