import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unpickle } from './pickle.js';

// Written by Python 3's pickle.dumps(..., protocol=2) of
// {'a': (1, 300, -5, 70000), 'b': [True, None, 3.5, 2**70, 'é'], 'c': ('x',), 'd': (1, 2), 'e': (1, 2, 3), 'f': {}}
const PLAIN =
  '80027d7100285801000000617101284b014d2c014afbffffff4a7011010074710258010000006271035d710428884e47400c0000000000008a0900000000000000004058020000' +
  '00c3a97105655801000000637106580100000078710785710858010000006471094b014b0286710a580100000065710b4b014b024b0387710c580100000066710d7d710e752e';
// collections.OrderedDict([('w', 1)]), protocol 2: a GLOBAL called with REDUCE.
const ORDERED_DICT = '800263636f6c6c656374696f6e730a4f726465726564446963740a71002952710158010000007771024b01732e';

const noGlobals = {
  global: (module: string, name: string): never => {
    throw new Error(`unexpected global ${module}.${name}`);
  },
};

describe('unpickle', () => {
  it('reads dicts, tuples, lists, ints of every width, floats, big longs, booleans, None and UTF-8 strings', () => {
    const bytes = Buffer.from(PLAIN, 'hex');
    const { value, end } = unpickle(bytes, 0, noGlobals);
    assert.equal(end, bytes.length);
    assert.ok(value instanceof Map);
    assert.deepEqual(value.get('a'), [1, 300, -5, 70000]);
    assert.deepEqual(value.get('b'), [true, null, 3.5, 2n ** 70n, 'é']);
    assert.deepEqual(value.get('c'), ['x']);
    assert.deepEqual(value.get('d'), [1, 2]);
    assert.deepEqual(value.get('e'), [1, 2, 3]);
    assert.deepEqual(value.get('f'), new Map());
  });

  it('resolves globals through the caller, and reads consecutive pickles from where the last one ended', () => {
    const one = Buffer.from(ORDERED_DICT, 'hex');
    const two = Buffer.concat([one, one]);
    const hooks = { global: (module: string, name: string) => (assert.equal(`${module}.${name}`, 'collections.OrderedDict'), () => new Map()) };
    const first = unpickle(two, 0, hooks);
    const second = unpickle(two, first.end, hooks);
    assert.deepEqual(first.value, new Map([['w', 1]]));
    assert.deepEqual(second.value, new Map([['w', 1]]));
    assert.equal(second.end, two.length);
  });

  it('refuses what it does not understand instead of guessing', () => {
    assert.throws(() => unpickle(Buffer.from(ORDERED_DICT, 'hex'), 0, noGlobals), /unexpected global collections.OrderedDict/);
    assert.throws(() => unpickle(Buffer.from([0x80, 0x02, 0x5a]), 0, noGlobals), /unsupported pickle opcode 0x5a at byte 2/);
    assert.throws(() => unpickle(Buffer.from(PLAIN, 'hex').subarray(0, 40), 0, noGlobals), /pickle truncated/);
  });
});
