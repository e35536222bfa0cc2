import type { Partitioner } from '../rdd/partitioner.js';
import { parseDuration } from '../util/duration.js';
import type { MappingFunction } from './map-with-state-rdd.js';

/**
 * Everything mapWithState needs, built as in Spark:
 * `StateSpec.function(fn).initialState(pairs).numPartitions(4).timeout('30s')`.
 * The mapping function gets the key, the record's value (undefined when the key is
 * timing out) and the key's State.
 */
export class StateSpec<K, V, S, M> {
  private initial: [K, S][] | null = null;
  private partitionsOrPartitioner: number | Partitioner | undefined = undefined;
  private timeoutMs: number | null = null;

  private constructor(readonly mappingFunction: MappingFunction<K, V, S, M>) {}

  static function<K, V, S, M>(fn: MappingFunction<K, V, S, M>): StateSpec<K, V, S, M> {
    if (typeof fn !== 'function') throw new TypeError('StateSpec.function() needs the mapping function');
    return new StateSpec(fn);
  }

  /** The states keys start with (pairs of key and state). */
  initialState(pairs: Iterable<[K, S]>): this {
    this.initial = [...pairs];
    return this;
  }

  numPartitions(n: number): this {
    this.partitionsOrPartitioner = n;
    return this;
  }

  partitioner(p: Partitioner): this {
    this.partitionsOrPartitioner = p;
    return this;
  }

  /** Keys idle (no data) for longer than this get a last call with isTimingOut() true and are removed. */
  timeout(duration: string | number): this {
    const ms = parseDuration(duration, 'state timeout');
    if (ms <= 0) throw new Error('state timeout must be positive');
    this.timeoutMs = ms;
    return this;
  }

  getInitialState(): [K, S][] | null {
    return this.initial;
  }

  getPartitions(): number | Partitioner | undefined {
    return this.partitionsOrPartitioner;
  }

  getTimeoutMs(): number | null {
    return this.timeoutMs;
  }
}
