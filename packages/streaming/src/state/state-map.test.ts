import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StateMap } from './state-map';

const contents = (m: StateMap<string, number>) =>
  [...m.entries()].map((e) => [e.key, e.state, e.updatedAt] as const).sort((a, b) => a[0].localeCompare(b[0]));

test('a copy is a layer: changes to it leave the map it came from as it was', () => {
  const t1 = new StateMap<string, number>();
  t1.put('a', 1, 1);
  t1.put('b', 2, 1);
  const t2 = t1.copy();
  t2.put('a', 10, 2);
  t2.remove('b');
  t2.put('c', 3, 2);
  assert.deepEqual(contents(t1), [['a', 1, 1], ['b', 2, 1]]);
  assert.deepEqual(contents(t2), [['a', 10, 2], ['c', 3, 2]]);
  assert.equal(t2.get('b'), undefined);
  assert.equal(t2.size, 2);
});

test('after 16 layers the chain is flattened with the same content', () => {
  let m = new StateMap<string, number>();
  const expected = new Map<string, number>();
  for (let t = 0; t < 40; t++) {
    m = m.copy();
    m.put(`k${t % 7}`, t, t);
    expected.set(`k${t % 7}`, t);
    if (t % 5 === 0) {
      m.remove(`k${(t + 3) % 7}`);
      expected.delete(`k${(t + 3) % 7}`);
    }
  }
  assert.deepEqual(new Map([...m.entries()].map((e) => [e.key, e.state])), expected);
});

test('keys that are tuples meet as equal keys', () => {
  const m = new StateMap<[string, number], number>();
  m.put(['a', 1], 5, 0);
  const next = m.copy();
  next.put(['a', 1], 6, 1);
  assert.equal(next.size, 1);
  assert.equal(next.get(['a', 1])?.state, 6);
});

test('columns for checkpoints round-trip, update times included', () => {
  const m = new StateMap<string, number>();
  m.put('x', 1, 100);
  const c = m.copy();
  c.put('y', 2, 200);
  assert.deepEqual(contents(StateMap.fromColumns(c.toColumns())), contents(c));
});

test('idleSince finds the keys last updated before the threshold', () => {
  const m = new StateMap<string, number>();
  m.put('old', 1, 100);
  m.put('new', 2, 300);
  assert.deepEqual([...m.idleSince(200)].map((e) => e.key), ['old']);
});

test('estimatedSize grows with the keys held and does not walk them by reflection', () => {
  const small = new StateMap<number, number>();
  const big = new StateMap<number, number>();
  for (let i = 0; i < 10; i++) small.put(i, i, 0);
  for (let i = 0; i < 10_000; i++) big.put(i, i, 0);
  assert.ok(big.estimatedSize() > 500 * small.estimatedSize());
  assert.deepEqual(Object.keys(big), ['compactEvery']);
});
