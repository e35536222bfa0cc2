import { deserialize, serialize } from 'node:v8';
import type { Aggregator } from './aggregator';
import type { Dependency } from './dependency';
import { mapKeyOf, type MapKey } from './key-hash';
import type { Partitioner } from './partitioner';
import { RDD } from './rdd';
import type { TaskEnv } from './task-env';

/**
 * The reduce side of a shuffle, and the recipe for its map side.
 *
 * Map side (a shuffle-map task over a parent partition): records are routed to reduce
 * partitions by the partitioner and, with an aggregator, combined per key first (map-side
 * combine), so a word seen 10,000 times in a partition travels once. Each reduce
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
    this.dependencies = [{ kind: 'shuffle', rdd: parent, shuffle: this as ShuffledRDD<unknown, unknown, unknown> }];
  }

  get numPartitions(): number {
    return this.partitioner.numPartitions;
  }

  get shuffleId(): string {
    return this.id;
  }

  /** Runs in a shuffle-map task: splits one parent partition into serialized buckets. */
  writeMapOutput(items: unknown[], mapPartition: number): Uint8Array[] {
    const writer = new MapOutputWriter(this.partitioner, this.aggregator, mapPartition);
    writer.add(items);
    return writer.finish();
  }

  /**
   * The same, taking the parent partition a chunk at a time: with an aggregator only the
   * combined values are held, so a word count over a large Kafka range holds its distinct
   * words, not its lines.
   */
  async writeMapOutputChunks(chunks: AsyncIterable<unknown[]>, mapPartition: number): Promise<Uint8Array[]> {
    const writer = new MapOutputWriter(this.partitioner, this.aggregator, mapPartition);
    for await (const chunk of chunks) writer.add(chunk);
    return writer.finish();
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

/** One map task's buckets, filled chunk by chunk (records numbered across chunks). */
class MapOutputWriter<C> {
  private readonly buckets: unknown[][] | null;
  private readonly combined: Map<MapKey, [unknown, C]>[] | null;
  private index = 0;

  constructor(
    private readonly partitioner: Partitioner,
    private readonly aggregator: Aggregator<unknown, C> | null,
    private readonly mapPartition: number,
  ) {
    const n = partitioner.numPartitions;
    this.buckets = aggregator ? null : Array.from({ length: n }, () => []);
    this.combined = aggregator ? Array.from({ length: n }, () => new Map()) : null;
  }

  add(items: unknown[]): void {
    const { partitioner, mapPartition } = this;
    if (this.buckets) {
      for (let i = 0; i < items.length; i++) this.buckets[partitioner.partitionOf(items[i], mapPartition, this.index++)]!.push(items[i]);
      return;
    }
    const agg = this.aggregator!;
    const combined = this.combined!;
    for (let i = 0; i < items.length; i++) {
      const pair = items[i] as [unknown, unknown];
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`a key-value operation expected [key, value] pairs but got ${describe(pair)}`);
      }
      const bucket = combined[partitioner.partitionOf(pair, mapPartition, this.index++)]!;
      const mk = mapKeyOf(pair[0]);
      const entry = bucket.get(mk);
      if (entry === undefined) bucket.set(mk, [pair[0], agg.createCombiner(pair[1])]);
      else entry[1] = agg.mergeValue(entry[1], pair[1]);
    }
  }

  finish(): Uint8Array[] {
    if (this.buckets) return this.buckets.map((b) => serialize(b));
    return this.combined!.map((bucket) => serialize([...bucket.values()]));
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
