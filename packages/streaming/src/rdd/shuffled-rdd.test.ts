import assert from 'node:assert/strict';
import { deserialize } from 'node:v8';
import { test } from 'node:test';
import { groupAggregator, reduceAggregator, type Aggregator } from './aggregator.js';
import type { JobRunner } from './job-runner.js';
import type { Dependency } from './dependency.js';
import { HashPartitioner, RoundRobinPartitioner, type Partitioner } from './partitioner.js';
import { RDD } from './rdd.js';
import { runInScope } from './rdd-scope.js';
import { ShuffledRDD } from './shuffled-rdd.js';
import type { TaskEnv } from './task-env.js';

const NO_RUNNER: JobRunner = { runJob: () => Promise.reject(new Error('no actions here')) };

/** A parent whose partitions are given records. */
class GivenRDD extends RDD<unknown> {
  readonly name = 'GivenRDD';
  readonly dependencies: Dependency[] = [];
  constructor(private readonly partitions: unknown[][]) {
    super();
  }
  get numPartitions(): number {
    return this.partitions.length;
  }
  compute(partition: number): Promise<unknown[]> {
    return Promise.resolve(this.partitions[partition]!);
  }
}

/** A shuffle over a parent with the given partitions. */
function shuffle<C>(partitioner: Partitioner, aggregator: Aggregator<any, C> | null, partitions: unknown[][]): ShuffledRDD<unknown, unknown, C> {
  return runInScope({ prefix: 't', batchTime: 0, runner: NO_RUNNER, inputs: null, outputOp: -1 }, () => {
    return new ShuffledRDD<unknown, unknown, C>(new GivenRDD(partitions), partitioner, aggregator);
  });
}

async function mapOutput<R>(rdd: ShuffledRDD<unknown, unknown, unknown>, mapPartition: number): Promise<R[][]> {
  return (await rdd.writeMapOutput(mapPartition, envWith([]))).map((b) => deserialize(b) as R[]);
}

function envWith(buckets: Uint8Array[]): TaskEnv {
  return {
    batchTime: 0,
    partition: 0,
    attempt: 0,
    executorId: 'test',
    recordsRead: 0,
    inputBlocks: () => [],
    shuffleBuckets: () => buckets,
    getCachedPartition: () => undefined,
    putCachedPartition: () => {},
  };
}

test('map-side combine: a key seen 10,000 times in a partition travels once, already reduced, to its own bucket', async () => {
  const items: [string, number][] = [];
  for (let i = 0; i < 10_000; i++) items.push(['hot', 1]);
  for (let i = 0; i < 30; i++) items.push([`k${i % 7}`, i]);
  const rdd = shuffle(new HashPartitioner(3), reduceAggregator((a: number, b: number) => a + b), [items]);
  const buckets = await mapOutput<[string, number]>(rdd, 0);
  assert.equal(buckets.length, 3, 'one bucket per reduce partition');
  const all = buckets.flat();
  assert.equal(all.length, 8, 'each of the 8 keys once');
  assert.deepEqual(new Map(all).get('hot'), 10_000);
  for (let k = 0; k < 7; k++) {
    const expected = Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 7 === k).reduce((a, b) => a + b, 0);
    assert.equal(new Map(all).get(`k${k}`), expected);
  }
  const partitioner = new HashPartitioner(3);
  buckets.forEach((bucket, p) => {
    for (const pair of bucket) assert.equal(partitioner.partitionOf(pair), p, `${pair[0]} is in the bucket of its hash`);
  });
});

test('map-side combine keeps values of a groupByKey in arrival order; equal tuple keys meet, 1 and "1" do not', async () => {
  const items: [unknown, string][] = [[1, 'a'], ['1', 'b'], [[2, 'x'], 'c'], [1, 'd'], [[2, 'x'], 'e']];
  const rdd = shuffle(new HashPartitioner(1), groupAggregator<string>(), [items]);
  const [bucket] = await mapOutput<[unknown, string[]]>(rdd, 0);
  assert.deepEqual(bucket, [[1, ['a', 'd']], ['1', ['b']], [[2, 'x'], ['c', 'e']]]);
});

test('without an aggregator (repartition) records move as they are, spread round robin from a per-partition start', async () => {
  const rdd = shuffle(new RoundRobinPartitioner(3), null, [[], ['a', 'b', 'c', 'd']]);
  const buckets = await mapOutput<string>(rdd, 1);
  assert.deepEqual(buckets, [['c'], ['a', 'd'], ['b']]);
});

test('the reduce side merges the combiners of every map output', async () => {
  const rdd = shuffle(new HashPartitioner(1), reduceAggregator((a: number, b: number) => a + b), [
    [['a', 1], ['b', 2], ['a', 3]],
    [['b', 10], ['c', 5]],
  ]);
  const fromMap0 = await rdd.writeMapOutput(0, envWith([]));
  const fromMap1 = await rdd.writeMapOutput(1, envWith([]));
  const merged = await rdd.compute(0, envWith([fromMap0[0]!, fromMap1[0]!]));
  assert.deepEqual(new Map(merged as [string, number][]), new Map([['a', 4], ['b', 12], ['c', 5]]));
});

test('a record that is not a [key, value] pair fails the key-value operation with the record shown', async () => {
  const rdd = shuffle(new HashPartitioner(2), reduceAggregator((a: number, b: number) => a + b), [[['ok', 1], { word: 'x' }], [[1, 2, 3]]]);
  await assert.rejects(rdd.writeMapOutput(0, envWith([])), /expected \[key, value\] pairs but got \{"word":"x"\}/);
  await assert.rejects(rdd.writeMapOutput(1, envWith([])), /but got \[1,2,3\]/);
});
