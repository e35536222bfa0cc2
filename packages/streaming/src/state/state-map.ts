import { mapKeyOf, type MapKey } from '../rdd/key-hash.js';
import { estimateRecordsSize, type SizeAware } from '../storage/size-estimator.js';

export interface StateEntry<K, S> {
  key: K;
  state: S;
  /** Batch time of the key's last update: what timeouts are measured from. */
  updatedAt: number;
}

/**
 * The key states of one state partition.
 *
 * One map serves a partition from batch to batch: batch T takes over batch T-1's map and
 * changes it in place, so a batch costs what changed in it, not a copy of every key (with
 * a million keys and a hundred thousand updates a batch, copying would dominate). `version`
 * is the batch whose states the map holds; a state record of an earlier batch whose map
 * has moved on (see map-with-state-rdd.ts) knows it is stale. While a batch changes the
 * map it keeps an undo log, so a mapping function that throws halfway leaves the map as
 * it was.
 */
export class StateMap<K, S> implements SizeAware {
  // Private fields (#) so that nothing walks a million entries by reflection: the block
  // manager asks estimatedSize() instead.
  #entries: Map<MapKey, StateEntry<K, S>>;
  #undo: [MapKey, StateEntry<K, S> | undefined][] | null = null;
  version: number;

  constructor(version: number, entries?: Map<MapKey, StateEntry<K, S>>) {
    this.version = version;
    this.#entries = entries ?? new Map<MapKey, StateEntry<K, S>>();
  }

  /** A copy holding the same states (for recomputing a batch whose map moved on). */
  copy(version: number): StateMap<K, S> {
    return new StateMap(version, new Map(this.#entries));
  }

  get(key: K): StateEntry<K, S> | undefined {
    return this.#entries.get(mapKeyOf(key));
  }

  put(key: K, state: S, updatedAt: number): void {
    const mk = mapKeyOf(key);
    this.#undo?.push([mk, this.#entries.get(mk)]);
    this.#entries.set(mk, { key, state, updatedAt });
  }

  remove(key: K): void {
    const mk = mapKeyOf(key);
    const old = this.#entries.get(mk);
    if (old === undefined) return;
    this.#undo?.push([mk, old]);
    this.#entries.delete(mk);
  }

  /**
   * Runs `change` as one step from this map's version to `version`: if it throws, every
   * put and remove it made is undone and the map keeps its version.
   */
  transition<R>(version: number, change: () => R): R {
    this.#undo = [];
    try {
      const result = change();
      this.version = version;
      return result;
    } catch (err) {
      const undo = this.#undo;
      for (let i = undo.length - 1; i >= 0; i--) {
        const [mk, old] = undo[i]!;
        if (old === undefined) this.#entries.delete(mk);
        else this.#entries.set(mk, old);
      }
      throw err;
    } finally {
      this.#undo = null;
    }
  }

  entries(): IterableIterator<StateEntry<K, S>> {
    return this.#entries.values();
  }

  /** Entries not updated since `threshold` (exclusive): the keys that time out. */
  *idleSince(threshold: number): IterableIterator<StateEntry<K, S>> {
    for (const e of this.#entries.values()) if (e.updatedAt < threshold) yield e;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Heap bytes: the map's slots plus a sample of what the entries hold, scaled. */
  estimatedSize(): number {
    const sample: StateEntry<K, S>[] = [];
    for (const e of this.#entries.values()) {
      sample.push(e);
      if (sample.length >= 16) break;
    }
    const perEntry = sample.length === 0 ? 0 : estimateRecordsSize(sample) / sample.length;
    return 64 + this.#entries.size * (24 + perEntry);
  }

  /** Compact form for checkpoints: keys, states and update times as three arrays. */
  /**
   * The states as three columns, for a checkpoint file. A column of numbers only (keys,
   * counts, and always the update times) is a Float64Array, which v8.serialize writes as
   * one block of bytes rather than value by value: a checkpoint of 500,000 numeric keys
   * serializes several times faster. Any number round-trips exactly through a Float64Array.
   */
  toColumns(): StateColumns<K, S> {
    const n = this.#entries.size;
    const keys = new Array<K>(n);
    const states = new Array<S>(n);
    const times = new Float64Array(n);
    let i = 0;
    for (const e of this.#entries.values()) {
      keys[i] = e.key;
      states[i] = e.state;
      times[i++] = e.updatedAt;
    }
    return { keys: packColumn(keys), states: packColumn(states), times };
  }

  /** Reads toColumns' output back (also the plain arrays of checkpoints written before the packing). */
  static fromColumns<K, S>(version: number, cols: StateColumns<K, S>): StateMap<K, S> {
    const m = new StateMap<K, S>(version);
    for (let i = 0; i < cols.keys.length; i++) m.put(cols.keys[i] as K, cols.states[i] as S, cols.times[i]!);
    return m;
  }
}

/** A checkpointed column: its values, or a Float64Array of them when they are all numbers. */
export type Column<T> = T[] | Float64Array;

export interface StateColumns<K, S> {
  keys: Column<K>;
  states: Column<S>;
  times: Column<number>;
}

function packColumn<T>(values: T[]): Column<T> {
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'number') return values;
  return Float64Array.from(values as number[]);
}
