import assert from 'node:assert/strict';
import { deserialize } from 'node:v8';
import { test } from 'node:test';
import { groupAggregator, reduceAggregator, type Aggregator } from './aggregator';
import type { JobRunner } from './job-runner';
import { ParallelCollectionRDD } from './parallel-collection-rdd';
import { HashPartitioner, RoundRobinPartitioner, type Partitioner } from './partitioner';
import { runInScope } from './rdd-scope';
import { ShuffledRDD } from './shuffled-rdd';
import type { TaskEnv } from './task-env';

const NO_RUNNER: JobRunner = { runJob: () => Promise.reject(new Error('no actions here')) };

function shuffle<C>(partitioner: Partitioner, aggregator: Aggregator<any, C> | null): ShuffledRDD<unknown, unknown, C> {
  return runInScope({ prefix: 't', batchTime: 0, runner: NO_RUNNER, inputs: null, outputOp: -1 }, () => {
    const parent = new ParallelCollectionRDD<unknown>([], 2);
    return new ShuffledRDD<unknown, unknown, C>(parent, partitioner, aggregator);
  });
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

test('map-side combine: a key seen 10,000 times in a partition travels once, already reduced, to its own bucket', () => {
  const rdd = shuffle(new HashPartitioner(3), reduceAggregator((a: number, b: number) => a + b));
  const items: [string, number][] = [];
  for (let i = 0; i < 10_000; i++) items.push(['hot', 1]);
  for (let i = 0; i < 30; i++) items.push([`k${i % 7}`, i]);
  const buckets = rdd.writeMapOutput(items, 0).map((b) => deserialize(b) as [string, number][]);
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

test('map-side combine keeps values of a groupByKey in arrival order; equal tuple keys meet, 1 and "1" do not', () => {
  const rdd = shuffle(new HashPartitioner(1), groupAggregator<string>());
  const items: [unknown, string][] = [[1, 'a'], ['1', 'b'], [[2, 'x'], 'c'], [1, 'd'], [[2, 'x'], 'e']];
  const [bucket] = rdd.writeMapOutput(items, 0).map((b) => deserialize(b) as [unknown, string[]][]);
  assert.deepEqual(bucket, [[1, ['a', 'd']], ['1', ['b']], [[2, 'x'], ['c', 'e']]]);
});

test('without an aggregator (repartition) records move as they are, spread round robin from a per-partition start', () => {
  const rdd = shuffle(new RoundRobinPartitioner(3), null);
  const buckets = rdd.writeMapOutput(['a', 'b', 'c', 'd'], 1).map((b) => deserialize(b) as string[]);
  assert.deepEqual(buckets, [['c'], ['a', 'd'], ['b']]);
});

test('the reduce side merges the combiners of every map output', async () => {
  const rdd = shuffle(new HashPartitioner(1), reduceAggregator((a: number, b: number) => a + b));
  const fromMap0 = rdd.writeMapOutput([['a', 1], ['b', 2], ['a', 3]], 0);
  const fromMap1 = rdd.writeMapOutput([['b', 10], ['c', 5]], 1);
  const merged = await rdd.compute(0, envWith([fromMap0[0]!, fromMap1[0]!]));
  assert.deepEqual(new Map(merged as [string, number][]), new Map([['a', 4], ['b', 12], ['c', 5]]));
});

test('a record that is not a [key, value] pair fails the key-value operation with the record shown', () => {
  const rdd = shuffle(new HashPartitioner(2), reduceAggregator((a: number, b: number) => a + b));
  assert.throws(() => rdd.writeMapOutput([['ok', 1], { word: 'x' }], 0), /expected \[key, value\] pairs but got \{"word":"x"\}/);
  assert.throws(() => rdd.writeMapOutput([[1, 2, 3]], 0), /but got \[1,2,3\]/);
});
