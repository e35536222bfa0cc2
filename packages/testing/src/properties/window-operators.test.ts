import { test } from 'node:test';
import { collectOutput } from '../collect-output';
import { checkProperty } from '../property/property';
import { randomKeyedBatches, randomShape, randomWindow } from '../property/generators';
import { runStreamingJob } from '../run-streaming-job';
import { testInputStream } from '../test-input-stream';
import { assertSameBatches, recordsOf, withSortedValues } from './compare';
import * as model from './reference-model';

type Pair = model.Pair;

const sum = (a: number, b: number) => a + b;
const max = (a: number, b: number) => Math.max(a, b);

test('property: the window operators agree with the reference model over random batch, window and slide durations (local mode)', async (t) => {
  const report = await checkProperty(
    'window operators',
    (random) => {
      const shape = randomShape(random, { batches: 10 });
      return {
        ...randomWindow(random),
        batches: randomKeyedBatches(random, shape),
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
            const positive = pairs.mapValues((v) => Math.abs(v) + 1);
            collectOutput(pairs.window(c.windowMs, c.slideMs));
            collectOutput(pairs.map(([, v]) => v).reduceByWindow(sum, c.windowMs, c.slideMs));
            collectOutput(pairs.countByWindow(c.windowMs, c.slideMs));
            collectOutput(pairs.map(([k]) => k).countByValueAndWindow(c.windowMs, c.slideMs, c.partitions));
            collectOutput(pairs.groupByKeyAndWindow(c.windowMs, c.slideMs, c.partitions));
            collectOutput(pairs.reduceByKeyAndWindow(max, c.windowMs, c.slideMs, c.partitions));
            collectOutput(pairs.reduceByKeyAndWindow(sum, (a, b) => a - b, c.windowMs, c.slideMs, c.partitions));
            collectOutput(
              positive.reduceByKeyAndWindow(sum, (a, b) => a - b, c.windowMs, c.slideMs, c.partitions, ([, v]) => v > 0),
            );
          },
        },
        { numBatches: c.batches.length, batchDuration: c.batchMs, master: `local[${c.cores}]`, conf: { defaultParallelism: c.partitions } },
      );
      const out = run.outputs.map(recordsOf);
      const windows = model.windows(c.batches, c.batchMs, c.windowMs, c.slideMs);
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
        model.sumByKeyAndWindowWithInverse(c.batches, c.batchMs, c.windowMs, c.slideMs, false),
      );
      assertSameBatches(
        'reduceByKeyAndWindow with inverse and filter',
        out[7]!,
        model.sumByKeyAndWindowWithInverse(positive, c.batchMs, c.windowMs, c.slideMs, true),
      );
    },
    { runs: 20, timeBudgetMs: 10_000 },
  );
  t.diagnostic(`${report.runs} cases from seed ${report.seed}`);
});
