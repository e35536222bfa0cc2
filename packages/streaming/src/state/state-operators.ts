import { addCheckpointer } from '../checkpoint/checkpointer.js';
import { DStream } from '../dstream/dstream.js';
import type { Partitioner } from '../rdd/partitioner.js';
import { toPartitioner } from '../rdd/rdd-operations.js';
import { parseDuration, type Duration } from '../util/duration.js';
import { InternalMapWithStateDStream, MapWithStateDStream } from './map-with-state-dstream.js';
import { StateDStream } from './state-dstream.js';
import type { StateSpec } from './state-spec.js';
import type { UpdateFunction } from './update-state-rdd.js';

/** The stateful operators and checkpoint(interval), installed on DStream. */
declare module '../dstream/dstream.js' {
  interface DStream<T> {
    /**
     * A state per key, updated every batch with the key's new values (an empty array when
     * there are none); returning undefined drops the key. State partitions are those of
     * `partitions` (a count or a partitioner; default: the default parallelism).
     */
    updateStateByKey<K, V, S>(
      this: DStream<[K, V]>,
      updateFn: UpdateFunction<V, S>,
      partitions?: number | Partitioner,
      initial?: Iterable<[K, S]>,
    ): DStream<[K, S]>;
    /**
     * The window's reduce, kept up to date with an inverse function: each window is the
     * previous one plus the batches that entered minus (invReduceFn) those that left, so
     * its cost does not grow with the window's length. Spark's argument order.
     */
    reduceByKeyAndWindow<K, V>(
      this: DStream<[K, V]>,
      reduceFn: (a: V, b: V) => V,
      invReduceFn: (a: V, b: V) => V,
      windowDuration: Duration,
      slideDuration?: Duration,
      partitions?: number | Partitioner,
      filterFn?: (pair: [K, V]) => boolean,
    ): DStream<[K, V]>;
    /** Spark's mapWithState: see StateSpec. */
    mapWithState<K, V, S, M>(this: DStream<[K, V]>, spec: StateSpec<K, V, S, M>): MapWithStateDStream<K, V, S, M>;
    /**
     * Saves this stream's RDDs every `interval` (a multiple of its slide) to the checkpoint
     * directory, which cuts their lineage. State streams are checkpointed anyway (default:
     * the smallest multiple of the slide >= 10 s); this sets how often.
     */
    checkpoint(interval: string | number): DStream<T>;
  }
}

type AnyStream = DStream<any>;
const proto = DStream.prototype as AnyStream;

proto.updateStateByKey = function (this: AnyStream, updateFn, partitions, initial) {
  if (typeof updateFn !== 'function') throw new TypeError('updateStateByKey() needs an update function');
  return new StateDStream(this, updateFn, toPartitioner(partitions), initial ? [...initial] : null);
};

proto.mapWithState = function (this: AnyStream, spec: StateSpec<any, any, any, any>) {
  return new MapWithStateDStream(new InternalMapWithStateDStream(this, spec));
};

proto.checkpoint = function (this: AnyStream, interval: string | number) {
  const ms = parseDuration(interval, 'checkpoint interval');
  if (ms <= 0 || ms % this.slideDurationMs !== 0) {
    throw new Error(`checkpoint interval ${ms} ms of ${this.toString()} must be a positive multiple of its slide duration (${this.slideDurationMs} ms)`);
  }
  // A state stream's checkpoints are those of the stream holding its state.
  const target = this instanceof MapWithStateDStream ? (this.internal as AnyStream) : this;
  target.checkpointIntervalSetMs = ms;
  addCheckpointer(target);
  return this;
};
