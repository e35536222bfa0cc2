import { StateSpec, type State } from '@sluice/streaming';
import { collectOutput } from '../../collect-output.js';
import { randomKeyedBatches, randomShape } from '../../property/generators.js';
import { testInputStream } from '../../test-input-stream.js';
import { assertSameBatches } from '../compare.js';
import * as model from '../reference-model.js';
import type { OperatorFamily } from './family.js';

type Pair = model.Pair;

export interface StateCase {
  batches: Pair[][];
  initial: Pair[];
  limit: number;
  timeoutMs: number | null;
  numSlices: number;
  partitions: number;
}

/** updateStateByKey's function: a running sum, dropped once it passes `limit`. */
function runningSum(limit: number) {
  return (values: number[], state: number | undefined): number | undefined => {
    const next = values.reduce((a, b) => a + b, state ?? 0);
    return Math.abs(next) > limit ? undefined : next;
  };
}

/**
 * mapWithState's function: a running sum per key; a value divisible by 7 removes the key;
 * a key timing out reports its last sum.
 */
function mappingFunction(key: string, value: number | undefined, state: State<number>): [string, string, number] {
  if (value === undefined) return ['timeout', key, state.get()];
  const sum = (state.exists() ? state.get() : 0) + value;
  if (value % 7 === 0) {
    state.remove();
    return ['removed', key, sum];
  }
  state.update(sum);
  return ['updated', key, sum];
}

/**
 * The reference mapWithState (Spark's semantics): records in arrival order, then every key
 * whose last data came before `time - timeoutMs` times out (one last call) and is removed.
 * Initial states count as updated at the first batch.
 */
function mapWithStateModel(
  batches: readonly (readonly Pair[])[],
  batchMs: number,
  initial: readonly Pair[],
  timeoutMs: number | null,
): { mapped: [string, string, number][][]; snapshots: Pair[][] } {
  const state = new Map<string, { sum: number; updatedAt: number }>(initial.map(([k, s]) => [k, { sum: s, updatedAt: batchMs }]));
  const mapped: [string, string, number][][] = [];
  const snapshots: Pair[][] = [];
  batches.forEach((batch, i) => {
    const time = (i + 1) * batchMs;
    const out: [string, string, number][] = [];
    for (const [k, v] of batch) {
      const sum = (state.get(k)?.sum ?? 0) + v;
      if (v % 7 === 0) {
        state.delete(k);
        out.push(['removed', k, sum]);
      } else {
        state.set(k, { sum, updatedAt: time });
        out.push(['updated', k, sum]);
      }
    }
    if (timeoutMs !== null) {
      for (const [k, s] of [...state]) {
        if (s.updatedAt < time - timeoutMs) {
          out.push(['timeout', k, s.sum]);
          state.delete(k);
        }
      }
    }
    mapped.push(out);
    snapshots.push([...state].map(([k, s]) => [k, s.sum]));
  });
  return { mapped, snapshots };
}

/** updateStateByKey (with and without an initial state), mapWithState (with and without a timeout) and stateSnapshots. */
export const stateFamily: OperatorFamily<StateCase> = {
  outputs: 4,
  name: 'state operators',

  generate(random, timing) {
    const shape = { ...randomShape(random, { keys: 8, maxRecords: 15, maxValue: 30 }), batches: timing.numBatches };
    const initial = randomKeyedBatches(random, { ...shape, batches: 1, maxRecords: 4 })[0]!;
    return {
      batches: randomKeyedBatches(random, shape),
      // One initial state per key.
      initial: initial.filter(([k], i) => initial.findIndex(([k2]) => k2 === k) === i),
      limit: random.pick([20, 60, 1000]),
      timeoutMs: random.chance(0.6) ? random.int(1, 3) * timing.batchMs : null,
      numSlices: random.int(1, 3),
      partitions: random.int(1, 3),
    };
  },

  build(ssc, c) {
    const pairs = testInputStream(ssc, c.batches, c.numSlices);
    collectOutput(pairs.updateStateByKey(runningSum(c.limit), c.partitions));
    collectOutput(pairs.updateStateByKey(runningSum(c.limit), c.partitions, c.initial));
    let spec = StateSpec.function(mappingFunction).numPartitions(c.partitions).initialState(c.initial);
    if (c.timeoutMs !== null) spec = spec.timeout(c.timeoutMs);
    const mapped = pairs.mapWithState(spec);
    collectOutput(mapped);
    collectOutput(mapped.stateSnapshots());
  },

  check(c, timing, out) {
    assertSameBatches('updateStateByKey', out[0]!, model.updateStateByKey(c.batches, runningSum(c.limit)));
    assertSameBatches('updateStateByKey with initial state', out[1]!, model.updateStateByKey(c.batches, runningSum(c.limit), c.initial));
    const expected = mapWithStateModel(c.batches, timing.batchMs, c.initial, c.timeoutMs);
    assertSameBatches('mapWithState', out[2]!, expected.mapped);
    assertSameBatches('mapWithState stateSnapshots', out[3]!, expected.snapshots);
  },
};
