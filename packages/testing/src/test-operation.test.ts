import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectOutput, runStreamingJob, testInputStream, testOperation, testOperation2 } from './index.js';

test('testOperation: each input batch in, each batch\'s output out, in batch order', async () => {
  const out = await testOperation(
    [['a b a'], [], ['c', 'a c']],
    (lines) => lines.flatMap((l) => l.split(' ')).map((w) => [w, 1] as [string, number]).reduceByKey((x, y) => x + y),
  );
  assert.deepEqual(out.map((b) => b.sort()), [[['a', 2], ['b', 1]], [], [['a', 1], ['c', 2]]]);
});

test('the same run twice gives the same records in the same order (no timing in it)', async () => {
  const input = Array.from({ length: 4 }, (_, b) => Array.from({ length: 30 }, (_, i) => [`k${(i * 7 + b) % 5}`, i] as [string, number]));
  const op = (s: import('@sluice/streaming').DStream<[string, number]>) => s.groupByKey(3).mapValues((vs) => vs.length);
  const first = await testOperation(input, op, { master: 'local[3]' });
  const second = await testOperation(input, op, { master: 'local[3]' });
  assert.deepEqual(first, second);
});

test('a window sliding every 2 batches gives one output per slide, over the batches it covers', async () => {
  const out = await testOperation([[1], [2], [3], [4], [5]], (s) => s.window('3s', '2s'), { batchDuration: '1s' });
  assert.deepEqual(out.map((b) => b.sort()), [[1, 2], [2, 3, 4]]);
});

test('testOperation2 feeds two streams', async () => {
  const out = await testOperation2([[1, 2], [3]], [['x'], [], ['y']], (a, b) =>
    a.map((n) => String(n)).union(b),
  );
  assert.deepEqual(out.map((b) => b.sort()), [['1', '2', 'x'], ['3'], ['y']]);
});

test('runStreamingJob: several collected streams, batch times from the manual clock', async () => {
  const run = await runStreamingJob(
    {
      job: (ssc) => {
        const words = testInputStream(ssc, [['x', 'y'], ['y']]);
        collectOutput(words.count());
        collectOutput(words.map((w) => w.toUpperCase()));
      },
    },
    { numBatches: 3, batchDuration: '500ms' },
  );
  assert.deepEqual(run.batchTimes, [500, 1000, 1500]);
  assert.deepEqual(run.outputs[0], [
    { time: 500, records: [2] },
    { time: 1000, records: [1] },
    { time: 1500, records: [0] },
  ]);
  assert.deepEqual(run.outputs[1]!.map((b) => b.records), [['X', 'Y'], ['Y'], []]);
});

test('a failing user function fails the run with the engine\'s error, naming the batch', async () => {
  await assert.rejects(
    testOperation([[1], [2]], (s) =>
      s.map((n) => {
        if (n === 2) throw new Error('two is not allowed');
        return n;
      }),
    ),
    /batch 2000: ForEachDStream .* failed: Error: two is not allowed/,
  );
});

test('executor processes need the job as a module, and say so', async () => {
  await assert.rejects(testOperation([[1]], (s) => s, { master: 'executors' }), /master 'executors' needs a jobModule/);
});

test('the README example: a sum over a 2 s window sliding every second', async () => {
  const out = await testOperation(
    [[['a', 1], ['b', 2]], [['a', 3]]] as [string, number][][],
    (pairs) => pairs.reduceByKeyAndWindow((x, y) => x + y, '2s', '1s'),
  );
  assert.deepEqual(out.map((b) => b.sort()), [[['a', 1], ['b', 2]], [['a', 4], ['b', 2]]]);
});
