import { collectOutput } from '../../collect-output.js';
import { randomKeyedBatches, randomShape, randomWindow } from '../../property/generators.js';
import { testInputStream } from '../../test-input-stream.js';
import { assertSameBatches } from '../compare.js';
import * as model from '../reference-model.js';
import type { OperatorFamily } from './family.js';

type Pair = model.Pair;
const KINDS = ['join', 'leftOuterJoin', 'rightOuterJoin', 'fullOuterJoin'] as const;

export interface JoinCase {
  windowMs: number;
  slideMs: number;
  left: Pair[][];
  right: Pair[][];
  table: Pair[];
  numSlices: number;
  partitions: number;
}

/** join, leftOuterJoin, rightOuterJoin, fullOuterJoin, cogroup; a join of two windows; transform joining a static table. */
export const joinFamily: OperatorFamily<JoinCase> = {
  outputs: 7,
  name: 'join operators',

  generate(random, timing) {
    const shape = { ...randomShape(random, { keys: 8, maxRecords: 12 }), batches: timing.numBatches };
    const { windowMs, slideMs } = randomWindow(random, 3, timing.batchMs);
    return {
      windowMs,
      slideMs,
      left: randomKeyedBatches(random, shape),
      right: randomKeyedBatches(random, shape),
      table: randomKeyedBatches(random, { ...shape, batches: 1 })[0]!,
      numSlices: random.int(1, 3),
      partitions: random.int(1, 3),
    };
  },

  build(ssc, c) {
    const left = testInputStream(ssc, c.left, c.numSlices);
    const right = testInputStream(ssc, c.right, c.numSlices);
    for (const kind of KINDS) collectOutput(left[kind](right, c.partitions));
    collectOutput(left.cogroup(right, c.partitions));
    collectOutput(left.window(c.windowMs, c.slideMs).join(right.window(c.windowMs, c.slideMs), c.partitions));
    const table = ssc.parallelize(c.table, c.numSlices);
    collectOutput(left.transform((rdd) => rdd.leftOuterJoin(table, c.partitions)));
  },

  check(c, timing, out) {
    KINDS.forEach((kind, i) => {
      assertSameBatches(kind, out[i]!, c.left.map((b, t) => model.joinBatches(kind, b, c.right[t]!)));
    });
    assertSameBatches(
      'cogroup',
      out[4]!.map((batch) =>
        batch.map((r) => {
          const [k, [a, b]] = r as [string, [number[], number[]]];
          return [k, [[...a].sort((x, y) => x - y), [...b].sort((x, y) => x - y)]];
        }),
      ),
      c.left.map((b, t) => model.cogroupBatches(b, c.right[t]!)),
    );
    const lw = model.windows(c.left, timing.batchMs, c.windowMs, c.slideMs);
    const rw = model.windows(c.right, timing.batchMs, c.windowMs, c.slideMs);
    assertSameBatches('join of two windows', out[5]!, lw.map((w, i) => model.joinBatches('join', w, rw[i]!)));
    assertSameBatches(
      'transform: leftOuterJoin with a static table',
      out[6]!,
      c.left.map((b) => model.joinBatches('leftOuterJoin', b, c.table)),
    );
  },
};
