import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../index.js';
import { StreamingContext } from '../context/streaming-context.js';

/** A context that only records the graph, as an executor's does (no source opens). */
function graphOnly(batchDuration: string) {
  return new StreamingContext({ batchDuration }, { mode: 'executor', log: () => {} });
}

test('a window whose length or slide is not a multiple of the batch fails when built, naming both', () => {
  const ssc = graphOnly('1s');
  const s = ssc.queueStream<number>([]);
  assert.throws(() => s.window('1500ms'), /window duration \(1500ms\) must be a positive multiple of the batch duration \(1s\)/);
  assert.throws(() => s.window('3s', '500ms'), /slide duration \(500ms\) must be a positive multiple of the batch duration \(1s\)/);
  const w = s.window('4s', '2s');
  assert.throws(() => w.window('6s', '3s'), /slide duration \(3s\) must be a positive multiple of the slide duration of WindowedDStream\[\d+\] \(2s\)/);
  assert.throws(() => w.union(s), /different slide durations \(QueueInputDStream\[0\] slides every 1000 ms, WindowedDStream\[1\] every 2000 ms\)/);
});

test('remember durations: a window makes its parents keep a window plus its own slide; remember() adds', () => {
  const ssc = graphOnly('1s');
  const input = ssc.queueStream<[string, number]>([]);
  const mapped = input.map((x) => x);
  const windowed = mapped.reduceByKeyAndWindow((a, b) => a + b, '30s', '2s');
  windowed.print();
  const other = ssc.queueStream<number>([]).remember('10s');
  other.print();
  ssc.graph.freeze();
  // reduceByKeyAndWindow = reduceByKey -> window(30s, 2s) -> reduceByKey.
  assert.equal(windowed.rememberDurationMs, 2000, 'the final reduce remembers its slide');
  assert.equal(mapped.rememberDurationMs, 32_000, 'the window parent chain keeps a window plus a slide');
  assert.equal(input.rememberDurationMs, 32_000);
  assert.equal(other.rememberDurationMs, 10_000);
  assert.equal(ssc.graph.maxInputRememberDurationMs(), 32_000);
});

test('valid times follow the slide from the zero time; slice skips times before the first batch', () => {
  const ssc = graphOnly('1s');
  const w = ssc.queueStream<number>([]).window('3s', '2s');
  w.print();
  ssc.graph.freeze();
  ssc.graph.setZeroTime(10_000);
  assert.deepEqual([11_000, 12_000, 13_000, 14_000, 10_000].map((t) => w.isTimeValid(t)), [false, true, false, true, false]);
  assert.throws(() => ssc.graph.setZeroTime(20_000), /zero time is 10000 here but 20000/);
});
