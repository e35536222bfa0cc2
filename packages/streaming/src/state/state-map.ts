import { mapKeyOf, type MapKey } from '../rdd/key-hash';
import { estimateRecordsSize, type SizeAware } from '../storage/size-estimator';

export interface StateEntry<K, S> {
  key: K;
  state: S;
  /** Batch time of the key's last update: what timeouts are measured from. */
  updatedAt: number;
}

const REMOVED = null;

/**
 * The states of one state partition at one batch.
 *
 * Batch T's map is a layer of changes over batch T-1's map (Spark's delta maps), so that
 * computing a batch costs what changed in it, not a copy of every key: with a million
 * keys and a hundred thousand updates a batch, copying would dominate. T-1's map stays
 * exactly as it was (a task retried, or a later batch recomputed from the cached T-1,
 * reads the same states). Every `compactEvery` layers the chain is flattened into one map,
 * which bounds lookups and lets the oldest layers be collected.
 */
export class StateMap<K, S> implements SizeAware {
  // Private fields (#) so that nothing walks a million entries by reflection: the block
  // manager asks estimatedSize() instead.
  #layer = new Map<MapKey, StateEntry<K, S> | typeof REMOVED>();
  #parent: StateMap<K, S> | null;
  #depth: number;

  constructor(parent: StateMap<K, S> | null = null, private readonly compactEvery = 16) {
    this.#parent = parent;
    this.#depth = parent ? parent.#depth + 1 : 0;
    if (this.#depth >= compactEvery) this.flatten();
  }

  /** A new map starting from this one; changes to it leave this one as it is. */
  copy(): StateMap<K, S> {
    return new StateMap(this, this.compactEvery);
  }

  get(key: K): StateEntry<K, S> | undefined {
    return this.getByMapKey(mapKeyOf(key));
  }

  put(key: K, state: S, updatedAt: number): void {
    this.#layer.set(mapKeyOf(key), { key, state, updatedAt });
  }

  remove(key: K): void {
    const mk = mapKeyOf(key);
    if (this.#parent === null) this.#layer.delete(mk);
    else this.#layer.set(mk, REMOVED);
  }

  /** Every live entry, each key once. */
  *entries(): IterableIterator<StateEntry<K, S>> {
    if (this.#parent === null) {
      for (const e of this.#layer.values()) if (e !== REMOVED) yield e;
      return;
    }
    // Newest layer first; a key seen in a newer layer hides its older versions.
    const seen = new Set<MapKey>();
    for (let m: StateMap<K, S> | null = this; m !== null; m = m.#parent) {
      for (const [mk, e] of m.#layer) {
        if (seen.has(mk)) continue;
        seen.add(mk);
        if (e !== REMOVED) yield e;
      }
    }
  }

  /** Entries not updated since `threshold` (exclusive): the keys that time out. */
  *idleSince(threshold: number): IterableIterator<StateEntry<K, S>> {
    for (const e of this.entries()) if (e.updatedAt < threshold) yield e;
  }

  get size(): number {
    if (this.#parent === null) return this.#layer.size;
    let n = 0;
    for (const _ of this.entries()) n++;
    return n;
  }

  private getByMapKey(mk: MapKey): StateEntry<K, S> | undefined {
    for (let m: StateMap<K, S> | null = this; m !== null; m = m.#parent) {
      const e = m.#layer.get(mk);
      if (e !== undefined) return e === REMOVED ? undefined : e;
    }
    return undefined;
  }

  /** Folds the parents into this layer (this map's content stays the same). */
  private flatten(): void {
    const flat = new Map<MapKey, StateEntry<K, S>>();
    for (const e of this.entries()) flat.set(mapKeyOf(e.key), e);
    this.#layer = flat;
    this.#parent = null;
    this.#depth = 0;
  }

  /**
   * Heap bytes of every layer (a layer shared with the previous batch's map counts in
   * both: the block manager errs on the side of keeping less).
   */
  estimatedSize(): number {
    let entries = 0;
    const sample: StateEntry<K, S>[] = [];
    for (let m: StateMap<K, S> | null = this; m !== null; m = m.#parent) {
      entries += m.#layer.size;
      if (sample.length < 16) {
        for (const e of m.#layer.values()) {
          if (e !== REMOVED) sample.push(e);
          if (sample.length >= 16) break;
        }
      }
    }
    // Per entry: the map's slot (~3 pointers), the entry object and what it holds.
    const perEntry = sample.length === 0 ? 0 : estimateRecordsSize(sample) / sample.length;
    return 64 + entries * (24 + perEntry);
  }

  /** Compact form for checkpoints: keys, states and update times as three arrays. */
  toColumns(): { keys: K[]; states: S[]; times: number[] } {
    const keys: K[] = [];
    const states: S[] = [];
    const times: number[] = [];
    for (const e of this.entries()) {
      keys.push(e.key);
      states.push(e.state);
      times.push(e.updatedAt);
    }
    return { keys, states, times };
  }

  static fromColumns<K, S>(cols: { keys: K[]; states: S[]; times: number[] }): StateMap<K, S> {
    const m = new StateMap<K, S>();
    for (let i = 0; i < cols.keys.length; i++) m.put(cols.keys[i]!, cols.states[i]!, cols.times[i]!);
    return m;
  }
}
