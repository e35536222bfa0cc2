import { estimateRecordsSize } from './size-estimator.js';

/** A kept partition of a persisted RDD, for reports to the driver. */
export interface CachedPartitionId {
  rddId: string;
  partition: number;
}

export interface PartitionCacheOptions {
  /** Largest total (estimated) size of kept partitions, in bytes. */
  maxBytes: number;
  /** Told of partitions leaving the cache by eviction (not by removeBatchesUpTo/clear). */
  onEvicted?: (evicted: CachedPartitionId[]) => void;
  /** Size of a partition's records; estimateRecordsSize by default (tests pass their own). */
  sizeOf?: (records: readonly unknown[]) => number;
}

interface Entry {
  records: unknown[];
  bytes: number;
  batchTime: number;
}

/**
 * The memory store of a block manager: the computed partitions of persisted RDDs, kept
 * whole, with a memory limit. The eviction rule is least recently used, by whole
 * partition: putting a partition that does not fit evicts the partitions read or written
 * longest ago until it fits, except partitions of the RDD being put (Spark's rule: never
 * evict a block of the same RDD to make room for another of its blocks, which would thrash
 * under a scan); a partition larger than the whole limit is not kept (its reader computes
 * it again when needed). Partitions of batches that are done and no longer remembered are
 * dropped when the driver says so (removeBatchesUpTo).
 *
 * Keys are RDD ids, which carry the batch time (`d7.0@T`).
 */
export class PartitionCache {
  /** Insertion order of a Map is the LRU order: a hit moves the entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private used = 0;
  private readonly sizeOf: (records: readonly unknown[]) => number;
  hits = 0;
  misses = 0;
  evictions = 0;

  constructor(private readonly options: PartitionCacheOptions) {
    this.sizeOf = options.sizeOf ?? estimateRecordsSize;
  }

  get usedBytes(): number {
    return this.used;
  }

  get maxBytes(): number {
    return this.options.maxBytes;
  }

  get size(): number {
    return this.entries.size;
  }

  get(rddId: string, partition: number): unknown[] | undefined {
    const key = keyOf(rddId, partition);
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.records;
  }

  has(rddId: string, partition: number): boolean {
    return this.entries.has(keyOf(rddId, partition));
  }

  /** Keeps a partition if it fits (evicting LRU partitions of other RDDs); true if kept. */
  put(rddId: string, partition: number, records: unknown[]): boolean {
    const key = keyOf(rddId, partition);
    this.drop(key);
    const bytes = this.sizeOf(records);
    if (bytes > this.options.maxBytes) return false;
    const evicted: CachedPartitionId[] = [];
    if (this.used + bytes > this.options.maxBytes) {
      let reclaimable = 0;
      const victims: string[] = [];
      for (const [k, e] of this.entries) {
        if (this.used - reclaimable + bytes <= this.options.maxBytes) break;
        if (rddOf(k) === rddId) continue;
        victims.push(k);
        reclaimable += e.bytes;
      }
      if (this.used - reclaimable + bytes > this.options.maxBytes) return false;
      for (const k of victims) {
        this.drop(k);
        evicted.push(idOf(k));
      }
      this.evictions += evicted.length;
    }
    this.entries.set(key, { records, bytes, batchTime: batchTimeOf(rddId) });
    this.used += bytes;
    if (evicted.length > 0) this.options.onEvicted?.(evicted);
    return true;
  }

  remove(rddId: string, partition: number): boolean {
    return this.drop(keyOf(rddId, partition));
  }

  /** Drops every partition of RDDs of batches up to `time`; returns what it dropped. */
  removeBatchesUpTo(time: number): CachedPartitionId[] {
    const removed: CachedPartitionId[] = [];
    for (const [k, e] of this.entries) {
      if (e.batchTime <= time) {
        this.drop(k);
        removed.push(idOf(k));
      }
    }
    return removed;
  }

  /** Everything kept, for a report. */
  list(): CachedPartitionId[] {
    return [...this.entries.keys()].map(idOf);
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  private drop(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.used -= entry.bytes;
    return true;
  }
}

// "rddId#partition": RDD ids never contain '#'.
function keyOf(rddId: string, partition: number): string {
  return `${rddId}#${partition}`;
}

function rddOf(key: string): string {
  return key.slice(0, key.lastIndexOf('#'));
}

function idOf(key: string): CachedPartitionId {
  const at = key.lastIndexOf('#');
  return { rddId: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}

/** The batch an RDD id belongs to (`d7.0@T`); ids without one count as batch 0. */
export function batchTimeOf(rddId: string): number {
  const at = rddId.lastIndexOf('@');
  return at < 0 ? 0 : Number(rddId.slice(at + 1));
}
