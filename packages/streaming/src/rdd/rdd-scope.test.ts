import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../dstream/dstream-operators.js';
import './rdd-operations.js';
import { StreamingContext } from '../context/streaming-context.js';
import { DStream } from '../dstream/dstream.js';
import type { JobRunner } from './job-runner.js';
import { ParallelCollectionRDD } from './parallel-collection-rdd.js';
import type { RDD } from './rdd.js';
import { currentScope, nextRddId, runInChildScope, runInScope } from './rdd-scope.js';

const NO_RUNNER: JobRunner = { runJob: () => Promise.reject(new Error('no actions here')) };
const scope = (prefix: string, batchTime: number) => ({ prefix, batchTime, runner: NO_RUNNER, inputs: null, outputOp: -1 });

test('outside a batch no RDD can be made, and the error says where they can', () => {
  assert.throws(() => nextRddId(), /RDDs can only be created while a batch is generated: inside transform\(\), foreachRDD\(\)/);
});

test('ids are prefix.counter@batchTime; a child scope counts on its own and may name another batch', () => {
  runInScope(scope('g', 5000), () => {
    assert.equal(nextRddId(), 'g.0@5000');
    assert.equal(nextRddId(), 'g.1@5000');
    runInChildScope('d3', () => {
      assert.equal(nextRddId(), 'd3.0@5000');
      assert.equal(currentScope().runner, NO_RUNNER, 'the child shares the runner');
    });
    runInChildScope('d3', () => assert.equal(nextRddId(), 'd3.0@4000'), 4000);
    assert.equal(nextRddId(), 'g.2@5000', 'the parent counter is untouched by children');
  });
});

test('the scope follows awaits, so an async output function keeps its ids', async () => {
  await runInScope(scope('o1', 3000), async () => {
    assert.equal(nextRddId(), 'o1.0@3000');
    await new Promise((r) => setTimeout(r, 1));
    assert.equal(nextRddId(), 'o1.1@3000');
  });
});

/** Reads its parent's RDD of the previous batch, as a window or a state stream does. */
class PreviousBatchDStream<T> extends DStream<T> {
  readonly name = 'PreviousBatchDStream';
  readonly dependencies: DStream<unknown>[];
  constructor(private readonly parent: DStream<T>) {
    super(parent.graph);
    this.dependencies = [parent];
  }
  protected compute(time: number): RDD<T> {
    return this.parent.getOrCompute(time - this.slideDurationMs).union(this.parent.getOrCompute(time));
  }
}

test('a DStream RDD is named by stream and batch: d<stream>.<n>@<time>, the same whoever asks for it and when', () => {
  const ssc = new StreamingContext({ batchDuration: 1000, blockInterval: 1000, defaultParallelism: 2 }, { mode: 'executor' });
  const input = ssc.queueStream<number>([]);
  const pairs = input.map((n) => [n, 1] as [number, number]);
  const reduced = pairs.reduceByKey((a, b) => a + b);
  const twoBatches = new PreviousBatchDStream(pairs);
  ssc.graph.setZeroTime(0);
  const inputs = new Map<string, unknown>([
    ['d0.0@1000', { numSlices: 2 }],
    ['d0.0@2000', { numSlices: 2 }],
  ]);
  runInScope({ ...scope('g', 2000), inputs }, () => {
    const r = reduced.getOrCompute(2000);
    assert.equal(r.id, 'd2.0@2000');
    assert.equal(r.dependencies[0]!.rdd.id, 'd1.0@2000', 'the map of stream 1 at 2000');
    assert.equal(r.dependencies[0]!.rdd.dependencies[0]!.rdd.id, 'd0.0@2000');
    const u = twoBatches.getOrCompute(2000);
    assert.equal(u.id, 'd3.0@2000');
    assert.deepEqual(u.dependencies.map((d) => d.rdd.id), ['d1.0@1000', 'd1.0@2000'], 'each batch keeps its own id');
    assert.equal(u.dependencies[1]!.rdd, r.dependencies[0]!.rdd, 'one RDD per stream and batch, shared');
  });
  // Asked for from another batch's generation, batch 1000's RDD has the same id.
  ssc.graph.forget(2000);
  runInScope({ ...scope('g', 3000), inputs }, () => {
    assert.equal(pairs.getOrCompute(1000).id, 'd1.0@1000');
  });
});

test('RDDs made in an output function are o<output>.<n>@<time>, after the stream RDDs it was given', () => {
  runInScope({ ...scope('o2', 7000), outputOp: 2 }, () => {
    const a = new ParallelCollectionRDD([1, 2], 1);
    const b = a.map((n) => n + 1).filter((n) => n > 1);
    assert.equal(a.id, 'o2.0@7000');
    assert.equal(b.id, 'o2.2@7000');
    assert.equal(b.batchTime, 7000);
  });
});
