import { deserialize, serialize } from 'node:v8';
import type { Aggregator } from './aggregator.js';
import type { Dependency } from './dependency.js';
import { mapKeyOf, type MapKey } from './key-hash.js';
import type { Partitioner } from './partitioner.js';
import { RDD } from './rdd.js';
import type { TaskEnv } from './task-env.js';

/**
 * The reduce side of a shuffle, and the recipe for its map side.
 *
 * Map side (a shuffle-map task over a parent partition): records are combined per key
 * first when there is an aggregator (map-side combine), so a word seen 10,000 times in a
 * partition travels once, and routed to reduce partitions by the partitioner. Each reduce
 * partition's share is serialized in bulk with v8.serialize: one buffer per bucket, never
 * one message per record.
 *
 * Reduce side (compute): reads its bucket from every map task and merges.
 */
export class ShuffledRDD<T, K, C> extends RDD<T | [K, C]> {
  readonly dependencies: Dependency[];

  constructor(
    readonly parent: RDD<unknown>,
    readonly partitioner: Partitioner,
    /** null: records move as they are (repartition). */
    private readonly aggregator: Aggregator<unknown, C> | null,
    readonly name = 'ShuffledRDD',
  ) {
    super();
    this.dependencies = [{ kind: 'shuffle', rdd: parent, shuffle: this }];
  }

  get numPartitions(): number {
    return this.partitioner.numPartitions;
  }

  get shuffleId(): string {
    return this.id;
  }

  /**
   * Runs in a shuffle-map task: streams one parent partition into serialized buckets.
   * With an aggregator, records are combined per key in one map first and each distinct
   * key is routed (hashed) once, not each record; the parent's records arrive one at a
   * time (forEachRecord), so a chain like flatMap -> map never builds its arrays.
   */
  async writeMapOutput(mapPartition: number, env: TaskEnv): Promise<Uint8Array[]> {
    const n = this.partitioner.numPartitions;
    const partitioner = this.partitioner;
    const buckets: unknown[][] = Array.from({ length: n }, () => []);
    if (!this.aggregator) {
      let i = 0;
      await this.parent.forEachRecord(mapPartition, env, (record) => {
        buckets[partitioner.partitionOf(record, mapPartition, i++)]!.push(record);
      });
      return buckets.map((b) => serialize(b));
    }
    const agg = this.aggregator;
    const combined = new Map<MapKey, [unknown, C]>();
    await this.parent.forEachRecord(mapPartition, env, (record) => {
      const pair = record as [unknown, unknown];
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`a key-value operation expected [key, value] pairs but got ${describe(pair)}`);
      }
      const key = pair[0];
      const mk = key === null || typeof key !== 'object' ? (key as MapKey) : mapKeyOf(key);
      const entry = combined.get(mk);
      if (entry === undefined) combined.set(mk, [key, agg.createCombiner(pair[1])]);
      else entry[1] = agg.mergeValue(entry[1], pair[1]);
    });
    let i = 0;
    for (const entry of combined.values()) buckets[partitioner.partitionOf(entry, mapPartition, i++)]!.push(entry);
    return buckets.map((b) => serialize(b));
  }

  async compute(_partition: number, env: TaskEnv): Promise<(T | [K, C])[]> {
    const buckets = env.shuffleBuckets(this.shuffleId);
    if (!this.aggregator) {
      const out: T[] = [];
      for (const b of buckets) for (const r of deserialize(b) as T[]) out.push(r);
      return out;
    }
    const agg = this.aggregator;
    const merged = new Map<MapKey, [K, C]>();
    for (const b of buckets) {
      for (const pair of deserialize(b) as [K, C][]) {
        const mk = mapKeyOf(pair[0]);
        const entry = merged.get(mk);
        if (entry === undefined) merged.set(mk, pair);
        else entry[1] = agg.mergeCombiners(entry[1], pair[1]);
      }
    }
    return [...merged.values()];
  }
}

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}
