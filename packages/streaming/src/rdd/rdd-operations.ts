import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  collectAction,
  collectPartitionsAction,
  countAction,
  foreachAction,
  foreachPartitionAction,
  reduceAction,
  takeAction,
  type Action,
} from './action.js';
import { groupAggregator, reduceAggregator, type Aggregator } from './aggregator.js';
import { CoGroupedRDD, partitionerOf } from './cogrouped-rdd.js';
import { MapPartitionsRDD } from './map-partitions-rdd.js';
import { HashPartitioner, RoundRobinPartitioner, type Partitioner } from './partitioner.js';
import { RDD } from './rdd.js';
import { currentScope } from './rdd-scope.js';
import { ShuffledRDD } from './shuffled-rdd.js';
import { UnionRDD } from './union-rdd.js';
import { formatRecord } from '../util/format-record.js';

/**
 * The RDD API. Partition functions receive the partition's records as an array (rather
 * than Scala's iterator): on V8 an array loop is the fastest way through a block.
 */
declare module './rdd.js' {
  interface RDD<T> {
    map<U>(f: (value: T) => U): RDD<U>;
    flatMap<U>(f: (value: T) => Iterable<U>): RDD<U>;
    filter(f: (value: T) => boolean): RDD<T>;
    mapPartitions<U>(f: (items: T[], partition: number) => Iterable<U> | Promise<Iterable<U>>): RDD<U>;
    glom(): RDD<T[]>;
    union(...others: RDD<T>[]): RDD<T>;
    repartition(numPartitions: number): RDD<T>;
    partitionBy<K, V>(this: RDD<[K, V]>, partitioner: Partitioner): RDD<[K, V]>;
    reduceByKey<K, V>(this: RDD<[K, V]>, f: (a: V, b: V) => V, numPartitions?: number | Partitioner): RDD<[K, V]>;
    groupByKey<K, V>(this: RDD<[K, V]>, numPartitions?: number | Partitioner): RDD<[K, V[]]>;
    combineByKey<K, V, C>(
      this: RDD<[K, V]>,
      createCombiner: (v: V) => C,
      mergeValue: (c: C, v: V) => C,
      mergeCombiners: (a: C, b: C) => C,
      numPartitions?: number | Partitioner,
    ): RDD<[K, C]>;
    mapValues<K, V, U>(this: RDD<[K, V]>, f: (v: V) => U): RDD<[K, U]>;
    flatMapValues<K, V, U>(this: RDD<[K, V]>, f: (v: V) => Iterable<U>): RDD<[K, U]>;
    countByValueRDD(numPartitions?: number): RDD<[T, number]>;

    // ---- joins (cogrouped-rdd.ts) ----
    // Partitions: the number or partitioner given; else that of a parent already
    // partitioned by key (the larger); else the default parallelism. Spark's Option is
    // `undefined` on the side that has no value.
    cogroup<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number | Partitioner): RDD<[K, [V[], W[]]]>;
    join<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number | Partitioner): RDD<[K, [V, W]]>;
    leftOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number | Partitioner): RDD<[K, [V, W | undefined]]>;
    rightOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number | Partitioner): RDD<[K, [V | undefined, W]]>;
    fullOuterJoin<K, V, W>(
      this: RDD<[K, V]>,
      other: RDD<[K, W]>,
      numPartitions?: number | Partitioner,
    ): RDD<[K, [V | undefined, W | undefined]]>;

    collect(): Promise<T[]>;
    /** collect, handing each partition's records to `handler` on the driver as its task finishes. */
    collectPartitions(handler: (items: T[], partition: number) => void | Promise<void>): Promise<void>;
    count(): Promise<number>;
    take(n: number): Promise<T[]>;
    first(): Promise<T>;
    isEmpty(): Promise<boolean>;
    reduce(f: (a: T, b: T) => T): Promise<T>;
    foreach(f: (value: T) => void | Promise<void>): Promise<void>;
    foreachPartition(f: (items: T[], partition: number) => void | Promise<void>): Promise<void>;
    saveAsTextFile(path: string): Promise<void>;
    runAction<P, R>(action: Action<T, P, R>): Promise<R>;
  }
}

type AnyRDD = RDD<any>;
const proto = RDD.prototype as AnyRDD;

/**
 * Partitions of a shuffle when none is given. Set from the configuration by the
 * StreamingContext, on the driver and on every executor alike, so lineages match.
 */
let defaultParallelism = 2;
function defaultPartitions(): number {
  return defaultParallelism;
}
export function setDefaultParallelism(n: number): void {
  defaultParallelism = n;
}

/** A shuffle's partitioner from what a user passed: a count, a partitioner, or nothing (the default). */
export function toPartitioner(p: number | Partitioner | undefined): Partitioner {
  if (p === undefined) return new HashPartitioner(defaultPartitions());
  return typeof p === 'number' ? new HashPartitioner(p) : p;
}

// map, flatMap and filter also say what they do to one record (the last argument), so
// that a chain of them streams record by record into a shuffle's map side.
proto.map = function (this: AnyRDD, f: (v: unknown) => unknown) {
  return new MapPartitionsRDD(
    this,
    (items) => {
      const out = new Array(items.length);
      for (let i = 0; i < items.length; i++) out[i] = f(items[i]);
      return out;
    },
    'MapPartitionsRDD(map)',
    true,
    (v, emit) => emit(f(v)),
  );
};

proto.flatMap = function (this: AnyRDD, f: (v: unknown) => Iterable<unknown>) {
  return new MapPartitionsRDD<any, any>(
    this,
    (items) => {
      const out: any[] = [];
      for (let i = 0; i < items.length; i++) for (const x of f(items[i])) out.push(x);
      return out;
    },
    'MapPartitionsRDD(flatMap)',
    true,
    (v, emit) => {
      const many = f(v);
      if (Array.isArray(many)) for (let i = 0; i < many.length; i++) emit(many[i]);
      else for (const x of many) emit(x);
    },
  );
};

proto.filter = function (this: AnyRDD, f: (v: unknown) => boolean) {
  return new MapPartitionsRDD(this, (items) => items.filter((x) => f(x)), 'MapPartitionsRDD(filter)', true, (v, emit) => {
    if (f(v)) emit(v);
  });
};

proto.mapPartitions = function (this: AnyRDD, f: (items: unknown[], p: number) => Iterable<unknown> | Promise<Iterable<unknown>>) {
  return new MapPartitionsRDD(this, async (items, p) => {
    const result = await f(items, p);
    return Array.isArray(result) ? result : [...result];
  }, 'MapPartitionsRDD(mapPartitions)');
};

proto.glom = function (this: AnyRDD) {
  return new MapPartitionsRDD(this, (items) => [items], 'MapPartitionsRDD(glom)');
};

proto.union = function (this: AnyRDD, ...others: AnyRDD[]) {
  return new UnionRDD([this, ...others]);
};

proto.repartition = function (this: AnyRDD, numPartitions: number) {
  return new ShuffledRDD(this, new RoundRobinPartitioner(numPartitions), null, 'ShuffledRDD(repartition)');
};

proto.partitionBy = function (this: AnyRDD, partitioner: Partitioner) {
  return new ShuffledRDD(this, partitioner, null, 'ShuffledRDD(partitionBy)');
};

function combine(rdd: AnyRDD, agg: Aggregator<any, any>, p: number | Partitioner | undefined, name: string): AnyRDD {
  return new ShuffledRDD(rdd, toPartitioner(p), agg, name);
}

proto.reduceByKey = function (this: AnyRDD, f: (a: any, b: any) => any, p?: number | Partitioner) {
  return combine(this, reduceAggregator(f), p, 'ShuffledRDD(reduceByKey)');
};

proto.groupByKey = function (this: AnyRDD, p?: number | Partitioner) {
  return combine(this, groupAggregator(), p, 'ShuffledRDD(groupByKey)');
};

proto.combineByKey = function (
  this: AnyRDD,
  createCombiner: (v: any) => any,
  mergeValue: (c: any, v: any) => any,
  mergeCombiners: (a: any, b: any) => any,
  p?: number | Partitioner,
) {
  return combine(this, { createCombiner, mergeValue, mergeCombiners }, p, 'ShuffledRDD(combineByKey)');
};

proto.mapValues = function (this: AnyRDD, f: (v: any) => any) {
  return this.map((kv: [any, any]) => [kv[0], f(kv[1])] as [any, any]);
};

proto.flatMapValues = function (this: AnyRDD, f: (v: any) => Iterable<any>) {
  return this.flatMap((kv: [any, any]) => [...f(kv[1])].map((u) => [kv[0], u] as [any, any]));
};

proto.countByValueRDD = function (this: AnyRDD, numPartitions?: number) {
  return this.map((x: unknown) => [x, 1] as [unknown, number]).reduceByKey((a: number, b: number) => a + b, numPartitions);
};

// ---- joins -----------------------------------------------------------------------------

/** Spark's defaultPartitioner: the one given, else a parent's by-key layout, else the default. */
function joinPartitioner(rdds: AnyRDD[], p: number | Partitioner | undefined): Partitioner {
  if (p !== undefined) return toPartitioner(p);
  let best: Partitioner | undefined;
  for (const r of rdds) {
    const own = partitionerOf(r);
    if (own?.kind === 'hash' && (!best || own.numPartitions > best.numPartitions)) best = own;
  }
  return best ?? toPartitioner(undefined);
}

type Sides = [unknown, unknown[][]];

/** Runs `emit` over each key's [values of this, values of other]: the joins below. */
function joinWith(
  a: AnyRDD,
  b: AnyRDD,
  p: number | Partitioner | undefined,
  name: string,
  emit: (key: unknown, vs: unknown[], ws: unknown[], out: unknown[]) => void,
): AnyRDD {
  const grouped = new CoGroupedRDD([a, b], joinPartitioner([a, b], p));
  return new MapPartitionsRDD(grouped, (items: Sides[]) => {
    const out: unknown[] = [];
    for (const [key, [vs, ws]] of items) emit(key, vs!, ws!, out);
    return out;
  }, name);
}

proto.cogroup = function (this: AnyRDD, other: AnyRDD, p?: number | Partitioner) {
  return joinWith(this, other, p, 'MapPartitionsRDD(cogroup)', (key, vs, ws, out) => out.push([key, [vs, ws]]));
};

proto.join = function (this: AnyRDD, other: AnyRDD, p?: number | Partitioner) {
  return joinWith(this, other, p, 'MapPartitionsRDD(join)', (key, vs, ws, out) => {
    for (const v of vs) for (const w of ws) out.push([key, [v, w]]);
  });
};

proto.leftOuterJoin = function (this: AnyRDD, other: AnyRDD, p?: number | Partitioner) {
  return joinWith(this, other, p, 'MapPartitionsRDD(leftOuterJoin)', (key, vs, ws, out) => {
    for (const v of vs) {
      if (ws.length === 0) out.push([key, [v, undefined]]);
      else for (const w of ws) out.push([key, [v, w]]);
    }
  });
};

proto.rightOuterJoin = function (this: AnyRDD, other: AnyRDD, p?: number | Partitioner) {
  return joinWith(this, other, p, 'MapPartitionsRDD(rightOuterJoin)', (key, vs, ws, out) => {
    for (const w of ws) {
      if (vs.length === 0) out.push([key, [undefined, w]]);
      else for (const v of vs) out.push([key, [v, w]]);
    }
  });
};

proto.fullOuterJoin = function (this: AnyRDD, other: AnyRDD, p?: number | Partitioner) {
  return joinWith(this, other, p, 'MapPartitionsRDD(fullOuterJoin)', (key, vs, ws, out) => {
    if (vs.length === 0) for (const w of ws) out.push([key, [undefined, w]]);
    else if (ws.length === 0) for (const v of vs) out.push([key, [v, undefined]]);
    else for (const v of vs) for (const w of ws) out.push([key, [v, w]]);
  });
};

proto.runAction = function (this: AnyRDD, action: Action<any, any, any>) {
  return currentScope().runner.runJob(this, action);
};

proto.collect = function (this: AnyRDD) {
  return this.runAction(collectAction());
};

proto.collectPartitions = function (this: AnyRDD, handler: (items: any[], p: number) => void | Promise<void>) {
  return this.runAction(collectPartitionsAction(handler));
};

proto.count = function (this: AnyRDD) {
  return this.runAction(countAction());
};

proto.take = function (this: AnyRDD, n: number) {
  return this.runAction(takeAction(n));
};

proto.first = async function (this: AnyRDD) {
  const [head] = await this.take(1);
  if (head === undefined) throw new Error('first() of an empty RDD');
  return head;
};

proto.isEmpty = async function (this: AnyRDD) {
  return this.numPartitions === 0 || (await this.take(1)).length === 0;
};

proto.reduce = function (this: AnyRDD, f: (a: any, b: any) => any) {
  return this.runAction(reduceAction(f));
};

proto.foreachPartition = function (this: AnyRDD, f: (items: any[], p: number) => void | Promise<void>) {
  return this.runAction(foreachPartitionAction(f));
};

proto.foreach = function (this: AnyRDD, f: (v: any) => void | Promise<void>) {
  return this.runAction(foreachAction(f));
};

/**
 * One part file per non-empty partition, then _SUCCESS. Empty partitions write nothing,
 * so a quiet stream does not litter the disk with empty files.
 */
proto.saveAsTextFile = async function (this: AnyRDD, path: string) {
  await mkdir(path, { recursive: true });
  await this.foreachPartition(async (items, p) => {
    if (items.length === 0) return;
    await mkdir(path, { recursive: true });
    const text = items.map(formatRecord).join('\n') + '\n';
    await writeFile(join(path, `part-${String(p).padStart(5, '0')}`), text);
  });
  await writeFile(join(path, '_SUCCESS'), '');
};
