import type { Partitioner } from '../rdd/partitioner.js';
import type { RDD } from '../rdd/rdd.js';
import { parseDuration, type Duration } from '../util/duration.js';
import { formatRecord } from '../util/format-record.js';
import { DStream } from './dstream.js';
import { OutputDStream, callSiteOf, type ForeachRDDFunction } from './output-dstream.js';
import { TransformedDStream } from './transformed-dstream.js';
import { WindowedDStream } from './windowed-dstream.js';
import { reduceByKeyAndWindowWithInverse } from '../state/reduced-windowed-dstream.js';

/**
 * The DStream API, as Spark users know it. Every transformation is "apply this RDD
 * transformation to every batch"; every output operation is a foreachRDD.
 */
declare module './dstream.js' {
  interface DStream<T> {
    map<U>(f: (value: T) => U): DStream<U>;
    flatMap<U>(f: (value: T) => Iterable<U>): DStream<U>;
    filter(f: (value: T) => boolean): DStream<T>;
    mapPartitions<U>(f: (items: T[], partition: number) => Iterable<U> | Promise<Iterable<U>>): DStream<U>;
    glom(): DStream<T[]>;
    repartition(numPartitions: number): DStream<T>;
    union(...others: DStream<T>[]): DStream<T>;
    transform<U>(f: (rdd: RDD<T>, time: number) => RDD<U>): DStream<U>;
    transformWith<U, R>(other: DStream<U>, f: (a: RDD<T>, b: RDD<U>, time: number) => RDD<R>): DStream<R>;
    count(): DStream<number>;
    reduce(f: (a: T, b: T) => T): DStream<T>;
    countByValue(numPartitions?: number): DStream<[T, number]>;

    reduceByKey<K, V>(this: DStream<[K, V]>, f: (a: V, b: V) => V, numPartitions?: number | Partitioner): DStream<[K, V]>;
    groupByKey<K, V>(this: DStream<[K, V]>, numPartitions?: number | Partitioner): DStream<[K, V[]]>;
    combineByKey<K, V, C>(
      this: DStream<[K, V]>,
      createCombiner: (v: V) => C,
      mergeValue: (c: C, v: V) => C,
      mergeCombiners: (a: C, b: C) => C,
      numPartitions?: number | Partitioner,
    ): DStream<[K, C]>;
    mapValues<K, V, U>(this: DStream<[K, V]>, f: (v: V) => U): DStream<[K, U]>;
    flatMapValues<K, V, U>(this: DStream<[K, V]>, f: (v: V) => Iterable<U>): DStream<[K, U]>;

    // ---- windows (window-operators block) ----
    /** Every slide (default: this stream's), the union of this stream's last windowDuration. */
    window(windowDuration: Duration, slideDuration?: Duration): DStream<T>;
    /** One record per window: `f` over all records of the window (none for an empty window). */
    reduceByWindow(f: (a: T, b: T) => T, windowDuration: Duration, slideDuration?: Duration): DStream<T>;
    /** One record per window: its number of records (0 for an empty window). */
    countByWindow(windowDuration: Duration, slideDuration?: Duration): DStream<number>;
    /** [value, occurrences in the window] for each distinct value of the window. */
    countByValueAndWindow(windowDuration: Duration, slideDuration?: Duration, numPartitions?: number): DStream<[T, number]>;
    /** [key, every value of the key in the window]. */
    groupByKeyAndWindow<K, V>(
      this: DStream<[K, V]>,
      windowDuration: Duration,
      slideDuration?: Duration,
      numPartitions?: number | Partitioner,
    ): DStream<[K, V[]]>;
    /**
     * [key, `f` over the key's values in the window], recomputed from the window's batches
     * each slide (each batch is reduced once, then the window's batch results are merged).
     */
    reduceByKeyAndWindow<K, V>(
      this: DStream<[K, V]>,
      f: (a: V, b: V) => V,
      windowDuration: Duration,
      slideDuration?: Duration,
      numPartitions?: number | Partitioner,
    ): DStream<[K, V]>;

    // ---- joins (join-operators block): batch by batch, both streams on the same slide ----
    cogroup<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, numPartitions?: number | Partitioner): DStream<[K, [V[], W[]]]>;
    join<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, numPartitions?: number | Partitioner): DStream<[K, [V, W]]>;
    leftOuterJoin<K, V, W>(
      this: DStream<[K, V]>,
      other: DStream<[K, W]>,
      numPartitions?: number | Partitioner,
    ): DStream<[K, [V, W | undefined]]>;
    rightOuterJoin<K, V, W>(
      this: DStream<[K, V]>,
      other: DStream<[K, W]>,
      numPartitions?: number | Partitioner,
    ): DStream<[K, [V | undefined, W]]>;
    fullOuterJoin<K, V, W>(
      this: DStream<[K, V]>,
      other: DStream<[K, W]>,
      numPartitions?: number | Partitioner,
    ): DStream<[K, [V | undefined, W | undefined]]>;

    foreachRDD(f: ForeachRDDFunction<T>): void;
    print(num?: number): void;
    saveAsTextFiles(prefix: string, suffix?: string): void;
  }
}

type AnyStream = DStream<any>;
const proto = DStream.prototype as AnyStream;

/** A stream made batch by batch by `f`; `userArgs` are what the fingerprint shows of it. */
function derive<U>(parent: AnyStream, name: string, f: (rdd: RDD<any>, time: number) => RDD<U>, ...userArgs: unknown[]): DStream<U> {
  return new TransformedDStream<U>([parent], ([rdd], time) => f(rdd!, time), name, userArgs);
}

proto.map = function (this: AnyStream, f) {
  return derive(this, 'MappedDStream', (rdd) => rdd.map(f), f);
};
proto.flatMap = function (this: AnyStream, f) {
  return derive(this, 'FlatMappedDStream', (rdd) => rdd.flatMap(f), f);
};
proto.filter = function (this: AnyStream, f) {
  return derive(this, 'FilteredDStream', (rdd) => rdd.filter(f), f);
};
proto.mapPartitions = function (this: AnyStream, f) {
  return derive(this, 'MapPartitionedDStream', (rdd) => rdd.mapPartitions(f), f);
};
proto.glom = function (this: AnyStream) {
  return derive(this, 'GlommedDStream', (rdd) => rdd.glom());
};
proto.repartition = function (this: AnyStream, n: number) {
  return derive(this, 'RepartitionedDStream', (rdd) => rdd.repartition(n), n);
};
proto.union = function (this: AnyStream, ...others: AnyStream[]) {
  return new TransformedDStream<any>([this, ...others], (rdds) => (rdds[0] as RDD<any>).union(...rdds.slice(1)), 'UnionDStream');
};
proto.transform = function (this: AnyStream, f) {
  return derive(this, 'TransformedDStream', (rdd, time) => f(rdd, time), f);
};
proto.transformWith = function (this: AnyStream, other: AnyStream, f) {
  return new TransformedDStream<any>([this, other], ([a, b], time) => f(a as RDD<any>, b as RDD<any>, time), 'TransformedDStream', [f]);
};

/**
 * count: one record per batch, 0 for an empty batch (Spark unions in a zero to get this).
 * Each partition counts itself; the counts meet in one reduce partition.
 */
proto.count = function (this: AnyStream) {
  return derive(this, 'CountedDStream', (rdd) =>
    rdd
      .mapPartitions((items) => [['count', items.length] as [string, number]])
      .reduceByKey((a: number, b: number) => a + b, 1)
      .mapPartitions((pairs) => [pairs.length === 0 ? 0 : pairs[0]![1]]),
  );
};

/** reduce: one record per non-empty batch. Partitions reduce locally first. */
proto.reduce = function (this: AnyStream, f) {
  return derive(this, 'ReducedDStream', (rdd) =>
    rdd
      .mapPartitions((items) => (items.length === 0 ? [] : [['r', items.reduce(f)] as [string, unknown]]))
      .reduceByKey(f, 1)
      .map((pair) => pair[1]),
    f,
  );
};

proto.countByValue = function (this: AnyStream, numPartitions?: number) {
  return derive(this, 'CountByValueDStream', (rdd) => rdd.countByValueRDD(numPartitions), numPartitions);
};
proto.reduceByKey = function (this: AnyStream, f, p) {
  return derive(this, 'ShuffledDStream(reduceByKey)', (rdd) => rdd.reduceByKey(f, p), f, p);
};
proto.groupByKey = function (this: AnyStream, p) {
  return derive(this, 'ShuffledDStream(groupByKey)', (rdd) => rdd.groupByKey(p), p);
};
proto.combineByKey = function (this: AnyStream, c, mv, mc, p) {
  return derive(this, 'ShuffledDStream(combineByKey)', (rdd) => rdd.combineByKey(c, mv, mc, p), c, mv, mc, p);
};
proto.mapValues = function (this: AnyStream, f) {
  return derive(this, 'MapValuedDStream', (rdd) => rdd.mapValues(f), f);
};
proto.flatMapValues = function (this: AnyStream, f) {
  return derive(this, 'FlatMapValuedDStream', (rdd) => rdd.flatMapValues(f), f);
};

// ---- windows -------------------------------------------------------------------------
// As Spark builds them: each batch is reduced on its own first, so a window merges one
// small result per batch instead of every record again.

function windowOf(stream: AnyStream, windowDuration: Duration, slideDuration: Duration | undefined): AnyStream {
  const windowMs = parseDuration(windowDuration, 'window duration');
  const slideMs = slideDuration === undefined ? stream.slideDurationMs : parseDuration(slideDuration, 'slide duration');
  return new WindowedDStream(stream, windowMs, slideMs);
}

proto.window = function (this: AnyStream, windowDuration: Duration, slideDuration?: Duration) {
  return windowOf(this, windowDuration, slideDuration);
};
proto.reduceByWindow = function (this: AnyStream, f, windowDuration: Duration, slideDuration?: Duration) {
  return windowOf(this.reduce(f), windowDuration, slideDuration).reduce(f);
};
proto.countByWindow = function (this: AnyStream, windowDuration: Duration, slideDuration?: Duration) {
  return windowOf(this, windowDuration, slideDuration).count();
};
proto.countByValueAndWindow = function (this: AnyStream, windowDuration: Duration, slideDuration?: Duration, numPartitions?: number) {
  return this.map((x: unknown) => [x, 1] as [unknown, number]).reduceByKeyAndWindow(
    (a: number, b: number) => a + b,
    windowDuration,
    slideDuration,
    numPartitions,
  );
};
proto.groupByKeyAndWindow = function (this: AnyStream, windowDuration: Duration, slideDuration?: Duration, p?: number | Partitioner) {
  return windowOf(this.groupByKey(p), windowDuration, slideDuration).combineByKey(
    (vs: any[]) => [...vs],
    (acc: any[], vs: any[]) => {
      for (const v of vs) acc.push(v);
      return acc;
    },
    (a: any[], b: any[]) => {
      for (const v of b) a.push(v);
      return a;
    },
    p,
  );
};
proto.reduceByKeyAndWindow = function (this: AnyStream, f: (a: any, b: any) => any, ...rest: any[]) {
  // The inverse-function form, reduceByKeyAndWindow(f, invF, window, slide, ...), has a
  // function second: it is a stream of its own (state/reduced-windowed-dstream.ts).
  if (typeof rest[0] === 'function') {
    return reduceByKeyAndWindowWithInverse(this, f, ...(rest as [any, Duration, Duration | undefined, any, any]));
  }
  const [windowDuration, slideDuration, p] = rest as [Duration, Duration | undefined, number | Partitioner | undefined];
  return windowOf(this.reduceByKey(f, p), windowDuration, slideDuration).reduceByKey(f, p);
};

// ---- joins ---------------------------------------------------------------------------

function joined(
  a: AnyStream,
  b: AnyStream,
  name: string,
  p: number | Partitioner | undefined,
  f: (x: RDD<any>, y: RDD<any>) => RDD<any>,
): AnyStream {
  return new TransformedDStream<any>([a, b], ([x, y]) => f(x as RDD<any>, y as RDD<any>), name, [p]);
}

proto.cogroup = function (this: AnyStream, other: AnyStream, p?: number | Partitioner) {
  return joined(this, other, 'CoGroupedDStream', p, (x, y) => x.cogroup(y, p));
};
proto.join = function (this: AnyStream, other: AnyStream, p?: number | Partitioner) {
  return joined(this, other, 'JoinedDStream(join)', p, (x, y) => x.join(y, p));
};
proto.leftOuterJoin = function (this: AnyStream, other: AnyStream, p?: number | Partitioner) {
  return joined(this, other, 'JoinedDStream(leftOuterJoin)', p, (x, y) => x.leftOuterJoin(y, p));
};
proto.rightOuterJoin = function (this: AnyStream, other: AnyStream, p?: number | Partitioner) {
  return joined(this, other, 'JoinedDStream(rightOuterJoin)', p, (x, y) => x.rightOuterJoin(y, p));
};
proto.fullOuterJoin = function (this: AnyStream, other: AnyStream, p?: number | Partitioner) {
  return joined(this, other, 'JoinedDStream(fullOuterJoin)', p, (x, y) => x.fullOuterJoin(y, p));
};

proto.foreachRDD = function (this: AnyStream, f) {
  new OutputDStream(this, f, 'ForEachDStream', callSiteOf());
};

/** Spark's print(): a header with the batch time, the first `num` records, "..." if more. */
proto.print = function (this: AnyStream, num = 10) {
  new OutputDStream(
    this,
    async (rdd, time) => {
      const first = await rdd.take(num + 1);
      const lines = ['-------------------------------------------', `Time: ${time} ms`, '-------------------------------------------'];
      for (const r of first.slice(0, num)) lines.push(formatRecord(r));
      if (first.length > num) lines.push('...');
      process.stdout.write(lines.join('\n') + '\n\n');
    },
    'print',
    callSiteOf(),
    [num],
  );
};

/** One directory per batch, prefix-TIME_IN_MS[.suffix], as Spark names them. */
proto.saveAsTextFiles = function (this: AnyStream, prefix: string, suffix?: string) {
  new OutputDStream(
    this,
    (rdd, time) => rdd.saveAsTextFile(suffix ? `${prefix}-${time}.${suffix}` : `${prefix}-${time}`),
    'saveAsTextFiles',
    callSiteOf(),
    [prefix, suffix],
  );
};

