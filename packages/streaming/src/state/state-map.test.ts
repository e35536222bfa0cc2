import assert from 'node:assert/strict';
import { deserialize, serialize } from 'node:v8';
import { test } from 'node:test';
import { StateMap } from './state-map.js';

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

/** Every entry in the map's order (fromColumns keeps the columns' order). */
const inOrder = <K, S>(m: StateMap<K, S>) => [...m.entries()].map((e) => [e.key, e.state, e.updatedAt]);

test('numeric columns go to a checkpoint as Float64Arrays and come back exact; other columns stay arrays', () => {
  const numeric = new StateMap<number, number>(7);
  for (const [k, v] of [[0, -0.5], [2 ** 53, 3], [-1, Number.MAX_VALUE], [1e-300, 0]] as const) numeric.put(k, v, 1_796_065_256_000 + k);
  const cols = numeric.toColumns();
  assert.ok(cols.keys instanceof Float64Array && cols.states instanceof Float64Array && cols.times instanceof Float64Array);
  const back = StateMap.fromColumns<number, number>(7, deserialize(serialize(cols)) as typeof cols);
  assert.deepEqual(inOrder(back), inOrder(numeric));

  const mixed = new StateMap<string, number | { n: number }>(8);
  mixed.put('a', 1, 1);
  mixed.put('b', { n: 2 }, 2);
  const mixedCols = mixed.toColumns();
  assert.ok(Array.isArray(mixedCols.keys) && Array.isArray(mixedCols.states));
  assert.deepEqual(inOrder(StateMap.fromColumns(8, deserialize(serialize(mixedCols)) as typeof mixedCols)), inOrder(mixed));

  // Checkpoints written before the packing hold plain arrays: they still read.
  const old = StateMap.fromColumns<string, number>(9, { keys: ['x', 'y'], states: [1, 2], times: [100, 200] });
  assert.deepEqual(inOrder(old), [
    ['x', 1, 100],
    ['y', 2, 200],
  ]);
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
