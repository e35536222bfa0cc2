import { test } from 'node:test';
import { collectOutput } from '../collect-output';
import { checkProperty } from '../property/property';
import { randomKeyedBatches, randomShape, randomWindow } from '../property/generators';
import { runStreamingJob } from '../run-streaming-job';
import { testInputStream } from '../test-input-stream';
import { assertSameBatches, recordsOf } from './compare';
import * as model from './reference-model';

type Pair = model.Pair;
const KINDS = ['join', 'leftOuterJoin', 'rightOuterJoin', 'fullOuterJoin'] as const;

test('property: joins and cogroup of two streams, of two windows and of a stream with a static table agree with the reference model (local mode)', async (t) => {
  const report = await checkProperty(
    'join operators',
    (random) => {
      const shape = randomShape(random, { keys: 8, maxRecords: 12 });
      const window = randomWindow(random, 3);
      return {
        ...window,
        left: randomKeyedBatches(random, shape),
        right: randomKeyedBatches(random, shape),
        table: randomKeyedBatches(random, { ...shape, batches: 1 })[0]!,
        numSlices: random.int(1, 3),
        partitions: random.int(1, 3),
        cores: random.int(1, 2),
      };
    },
    async (c) => {
      const run = await runStreamingJob(
        {
          job: (ssc) => {
            const left = testInputStream(ssc, c.left, c.numSlices);
            const right = testInputStream(ssc, c.right, c.numSlices);
            for (const kind of KINDS) collectOutput(left[kind](right, c.partitions));
            collectOutput(left.cogroup(right, c.partitions));
            collectOutput(left.window(c.windowMs, c.slideMs).join(right.window(c.windowMs, c.slideMs), c.partitions));
            const table = ssc.parallelize(c.table, c.numSlices);
            collectOutput(left.transform((rdd) => rdd.leftOuterJoin(table, c.partitions)));
          },
        },
        { numBatches: c.left.length, batchDuration: c.batchMs, master: `local[${c.cores}]`, conf: { defaultParallelism: c.partitions } },
      );
      const out = run.outputs.map(recordsOf);
      KINDS.forEach((kind, i) => {
        assertSameBatches(kind, out[i]!, c.left.map((b, t) => model.joinBatches(kind, b, c.right[t]!)));
      });
      assertSameBatches(
        'cogroup',
        out[4]!.map((batch) => batch.map((r) => {
          const [k, [a, b]] = r as [string, [number[], number[]]];
          return [k, [[...a].sort((x, y) => x - y), [...b].sort((x, y) => x - y)]];
        })),
        c.left.map((b, t) => model.cogroupBatches(b, c.right[t]!)),
      );
      const lw = model.windows(c.left, c.batchMs, c.windowMs, c.slideMs);
      const rw = model.windows(c.right, c.batchMs, c.windowMs, c.slideMs);
      assertSameBatches('join of two windows', out[5]!, lw.map((w, i) => model.joinBatches('join', w, rw[i]!)));
      assertSameBatches(
        'transform: leftOuterJoin with a static table',
        out[6]!,
        c.left.map((b) => model.joinBatches('leftOuterJoin', b, c.table as Pair[])),
      );
    },
    { runs: 15, timeBudgetMs: 8000 },
  );
  t.diagnostic(`${report.runs} cases from seed ${report.seed}`);
});
