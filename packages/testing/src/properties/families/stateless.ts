import { collectOutput } from '../../collect-output.js';
import { randomKeyedBatches, randomShape } from '../../property/generators.js';
import { testInputStream } from '../../test-input-stream.js';
import { assertSameBatches, withSortedValues } from '../compare.js';
import * as model from '../reference-model.js';
import type { OperatorFamily } from './family.js';

type Pair = model.Pair;

const REDUCERS: Record<string, (a: number, b: number) => number> = {
  sum: (a, b) => a + b,
  max: (a, b) => Math.max(a, b),
  min: (a, b) => Math.min(a, b),
};

export interface StatelessCase {
  left: Pair[][];
  right: Pair[][];
  numSlices: number;
  partitions: number;
  reducer: string;
  threshold: number;
}

/** reduceByKey, groupByKey, countByValue, union, repartition, transformWith, combineByKey, count, reduce, flatMapValues. */
export const statelessFamily: OperatorFamily<StatelessCase> = {
  outputs: 11,
  name: 'stateless operators',

  generate(random, timing) {
    const shape = { ...randomShape(random), batches: timing.numBatches };
    return {
      left: randomKeyedBatches(random, shape),
      right: randomKeyedBatches(random, shape),
      numSlices: random.int(1, 4),
      partitions: random.int(1, 4),
      reducer: random.pick(Object.keys(REDUCERS)),
      threshold: random.int(-50, 50),
    };
  },

  build(ssc, c) {
    const f = REDUCERS[c.reducer]!;
    const left = testInputStream(ssc, c.left, c.numSlices);
    const right = testInputStream(ssc, c.right, c.numSlices);
    collectOutput(left.reduceByKey(f, c.partitions));
    collectOutput(left.groupByKey(c.partitions));
    collectOutput(left.map(([k]) => k).countByValue(c.partitions));
    collectOutput(left.union(right));
    collectOutput(left.repartition(c.partitions).glom().map((part) => part.length));
    collectOutput(left.transformWith(right, (a, b) => a.union(b.filter(([, v]) => v > c.threshold))));
    collectOutput(left.transformWith(right, (_a, b) => b.mapValues((v) => v * 2)));
    collectOutput(
      left.combineByKey(
        (v: number) => [v, 1] as [number, number],
        (acc: [number, number], v: number) => [acc[0] + v, acc[1] + 1] as [number, number],
        (x: [number, number], y: [number, number]) => [x[0] + y[0], x[1] + y[1]] as [number, number],
        c.partitions,
      ),
    );
    collectOutput(left.count());
    collectOutput(left.map(([, v]) => v).reduce(f));
    collectOutput(left.flatMapValues((v) => (v > c.threshold ? [v, -v] : [])).filter(([k]) => k !== 'k0'));
  },

  check(c, _timing, out) {
    const f = REDUCERS[c.reducer]!;
    const L = c.left;
    const R = c.right;
    assertSameBatches('reduceByKey', out[0]!, L.map((b) => model.reduceByKey(b, f)));
    assertSameBatches('groupByKey', out[1]!.map(withSortedValues), L.map(model.groupByKey));
    assertSameBatches('countByValue', out[2]!, L.map((b) => model.countByValue(b.map(([k]) => k))));
    assertSameBatches('union', out[3]!, L.map((b, i) => [...b, ...R[i]!]));
    // repartition: n partitions whose sizes add up to the batch, spread evenly.
    assertSameBatches(
      'repartition (partition count and total)',
      out[4]!.map((sizes) => [sizes.length, (sizes as number[]).reduce((a, b) => a + b, 0)]),
      L.map((b) => [c.partitions, b.length]),
    );
    for (const sizes of out[4]! as number[][]) {
      if (Math.max(...sizes) - Math.min(...sizes) > c.numSlices) {
        throw new Error(`repartition(${c.partitions}) spread records unevenly: ${JSON.stringify(sizes)}`);
      }
    }
    assertSameBatches('transformWith', out[5]!, L.map((b, i) => [...b, ...R[i]!.filter(([, v]) => v > c.threshold)]));
    assertSameBatches('transformWith ignoring a parent', out[6]!, R.map((b) => b.map(([k, v]) => [k, v * 2] as Pair)));
    assertSameBatches(
      'combineByKey',
      out[7]!,
      L.map((b) => model.groupByKey(b).map(([k, vs]) => [k, [vs.reduce((x, y) => x + y, 0), vs.length]])),
    );
    assertSameBatches('count', out[8]!, L.map((b) => [b.length]));
    assertSameBatches('reduce', out[9]!, L.map((b) => (b.length === 0 ? [] : [b.map(([, v]) => v).reduce(f)])));
    assertSameBatches(
      'flatMapValues + filter',
      out[10]!,
      L.map((b) => b.flatMap(([k, v]) => (v > c.threshold && k !== 'k0' ? [[k, v], [k, -v]] : []))),
    );
  },
};
