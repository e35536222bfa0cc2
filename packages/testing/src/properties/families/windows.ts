import { collectOutput } from '../../collect-output.js';
import { randomKeyedBatches, randomShape, randomWindow } from '../../property/generators.js';
import { testInputStream } from '../../test-input-stream.js';
import { assertSameBatches, withSortedValues } from '../compare.js';
import * as model from '../reference-model.js';
import type { OperatorFamily } from './family.js';

type Pair = model.Pair;
const sum = (a: number, b: number) => a + b;
const max = (a: number, b: number) => Math.max(a, b);

export interface WindowCase {
  windowMs: number;
  slideMs: number;
  batches: Pair[][];
  numSlices: number;
  partitions: number;
}

/** window, reduceByWindow, countByWindow, countByValueAndWindow, groupByKeyAndWindow, reduceByKeyAndWindow (plain, inverse, inverse + filter). */
export const windowFamily: OperatorFamily<WindowCase> = {
  outputs: 8,
  name: 'window operators',

  generate(random, timing) {
    const { windowMs, slideMs } = randomWindow(random, 5, timing.batchMs);
    return {
      windowMs,
      slideMs,
      batches: randomKeyedBatches(random, { ...randomShape(random), batches: timing.numBatches }),
      numSlices: random.int(1, 3),
      partitions: random.int(1, 3),
    };
  },

  build(ssc, c) {
    const pairs = testInputStream(ssc, c.batches, c.numSlices);
    const positive = pairs.mapValues((v) => Math.abs(v) + 1);
    collectOutput(pairs.window(c.windowMs, c.slideMs));
    collectOutput(pairs.map(([, v]) => v).reduceByWindow(sum, c.windowMs, c.slideMs));
    collectOutput(pairs.countByWindow(c.windowMs, c.slideMs));
    collectOutput(pairs.map(([k]) => k).countByValueAndWindow(c.windowMs, c.slideMs, c.partitions));
    collectOutput(pairs.groupByKeyAndWindow(c.windowMs, c.slideMs, c.partitions));
    collectOutput(pairs.reduceByKeyAndWindow(max, c.windowMs, c.slideMs, c.partitions));
    collectOutput(pairs.reduceByKeyAndWindow(sum, (a, b) => a - b, c.windowMs, c.slideMs, c.partitions));
    collectOutput(positive.reduceByKeyAndWindow(sum, (a, b) => a - b, c.windowMs, c.slideMs, c.partitions, ([, v]) => v > 0));
  },

  check(c, timing, out) {
    const { batchMs } = timing;
    const windows = model.windows(c.batches, batchMs, c.windowMs, c.slideMs);
    const positive = c.batches.map((b) => b.map(([k, v]) => [k, Math.abs(v) + 1] as Pair));
    assertSameBatches('window', out[0]!, windows);
    assertSameBatches('reduceByWindow', out[1]!, windows.map((w) => (w.length === 0 ? [] : [w.map(([, v]) => v).reduce(sum)])));
    assertSameBatches('countByWindow', out[2]!, windows.map((w) => [w.length]));
    assertSameBatches('countByValueAndWindow', out[3]!, windows.map((w) => model.countByValue(w.map(([k]) => k))));
    assertSameBatches('groupByKeyAndWindow', out[4]!.map(withSortedValues), windows.map(model.groupByKey));
    assertSameBatches('reduceByKeyAndWindow', out[5]!, windows.map((w) => model.reduceByKey(w, max)));
    assertSameBatches(
      'reduceByKeyAndWindow with inverse',
      out[6]!,
      model.sumByKeyAndWindowWithInverse(c.batches, batchMs, c.windowMs, c.slideMs, false),
    );
    assertSameBatches(
      'reduceByKeyAndWindow with inverse and filter',
      out[7]!,
      model.sumByKeyAndWindowWithInverse(positive, batchMs, c.windowMs, c.slideMs, true),
    );
  },
};
