import { test } from 'node:test';
import { StateSpec, type State } from '@sluice/streaming';
import { collectOutput } from '../collect-output';
import { checkProperty } from '../property/property';
import { randomKeyedBatches, randomShape } from '../property/generators';
import { runStreamingJob } from '../run-streaming-job';
import { testInputStream } from '../test-input-stream';
import { assertSameBatches, recordsOf } from './compare';
import * as model from './reference-model';

type Pair = model.Pair;

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

/** The reference mapWithState: records in arrival order, then timeouts (idle longer than timeoutMs). */
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

test('property: updateStateByKey and mapWithState (with and without timeouts) agree with the reference model (local mode)', async (t) => {
  const report = await checkProperty(
    'state operators',
    (random) => {
      const shape = randomShape(random, { batches: 10, keys: 8, maxRecords: 15, maxValue: 30 });
      const batchMs = random.pick([100, 1000]);
      return {
        batchMs,
        batches: randomKeyedBatches(random, shape),
        initial: randomKeyedBatches(random, { ...shape, batches: 1, maxRecords: 4 })[0]!.filter(
          // One initial state per key.
          ([k], i, all) => all.findIndex(([k2]) => k2 === k) === i,
        ),
        limit: random.pick([20, 60, 1000]),
        timeoutMs: random.bool(0.6) ? random.int(1, 3) * batchMs : null,
        numSlices: random.int(1, 3),
        partitions: random.int(1, 3),
        cores: random.int(1, 2),
      };
    },
    async (c) => {
      const run = await runStreamingJob(
        {
          job: (ssc) => {
            const pairs = testInputStream(ssc, c.batches, c.numSlices);
            collectOutput(pairs.updateStateByKey(runningSum(c.limit), c.partitions));
            collectOutput(pairs.updateStateByKey(runningSum(c.limit), c.partitions, c.initial));
            let spec = StateSpec.function(mappingFunction).numPartitions(c.partitions).initialState(c.initial);
            if (c.timeoutMs !== null) spec = spec.timeout(c.timeoutMs);
            const mapped = pairs.mapWithState(spec);
            collectOutput(mapped);
            collectOutput(mapped.stateSnapshots());
          },
        },
        { numBatches: c.batches.length, batchDuration: c.batchMs, master: `local[${c.cores}]`, conf: { defaultParallelism: c.partitions } },
      );
      const out = run.outputs.map(recordsOf);
      assertSameBatches('updateStateByKey', out[0]!, model.updateStateByKey(c.batches, runningSum(c.limit)));
      assertSameBatches('updateStateByKey with initial state', out[1]!, model.updateStateByKey(c.batches, runningSum(c.limit), c.initial));
      const expected = mapWithStateModel(c.batches, c.batchMs, c.initial, c.timeoutMs);
      assertSameBatches('mapWithState', out[2]!, expected.mapped);
      assertSameBatches('mapWithState stateSnapshots', out[3]!, expected.snapshots);
    },
    { runs: 15, timeBudgetMs: 8000 },
  );
  t.diagnostic(`${report.runs} cases from seed ${report.seed}`);
});
