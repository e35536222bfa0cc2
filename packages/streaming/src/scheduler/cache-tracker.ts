import { batchTimeOf, type CachedPartitionId } from '../storage/partition-cache.js';

/**
 * The driver's record of which executors keep which partitions of persisted RDDs (the
 * location part of Spark's BlockManagerMaster). Executors report what they kept and
 * what they evicted with each finished task; an executor's loss forgets all it kept;
 * partitions of batches no stream remembers any more are forgotten with the batch (the
 * executors drop them at the same time). The scheduler sends a task that reads a cached
 * partition to an executor holding it (see task-placement in @sluice/executor).
 */
export class CacheTracker {
  private readonly holders = new Map<string, Set<string>>();

  added(executorId: string, partitions: readonly CachedPartitionId[]): void {
    for (const { rddId, partition } of partitions) {
      const key = keyOf(rddId, partition);
      let set = this.holders.get(key);
      if (!set) this.holders.set(key, (set = new Set()));
      set.add(executorId);
    }
  }

  removed(executorId: string, partitions: readonly CachedPartitionId[]): void {
    for (const { rddId, partition } of partitions) {
      const key = keyOf(rddId, partition);
      const set = this.holders.get(key);
      set?.delete(executorId);
      if (set?.size === 0) this.holders.delete(key);
    }
  }

  executorLost(executorId: string): void {
    for (const [key, set] of this.holders) {
      set.delete(executorId);
      if (set.size === 0) this.holders.delete(key);
    }
  }

  removeBatchesUpTo(time: number): void {
    for (const key of this.holders.keys()) if (batchTimeOf(key.slice(0, key.lastIndexOf('#'))) <= time) this.holders.delete(key);
  }

  /** Executors keeping partition `partition` of `rddId` (empty: nowhere). */
  locations(rddId: string, partition: number): string[] {
    const set = this.holders.get(keyOf(rddId, partition));
    return set ? [...set] : [];
  }

  /** True when every partition of the RDD is kept somewhere. */
  allCached(rddId: string, numPartitions: number): boolean {
    for (let p = 0; p < numPartitions; p++) if (!this.holders.has(keyOf(rddId, p))) return false;
    return true;
  }
}

function keyOf(rddId: string, partition: number): string {
  return `${rddId}#${partition}`;
}
