import { batchTimeOf, type CachedPartitionId } from '@sluice/streaming/executor-support';

/**
 * Which task threads of this executor keep which cached partitions. Each thread keeps the
 * partitions its tasks persisted; the driver only knows executors, so a partition counts
 * as cached here while any thread keeps it, and as removed when the last one drops it.
 */
export class CacheHolders {
  private readonly holders = new Map<string, Set<number>>();
  private added: CachedPartitionId[] = [];
  private removed: CachedPartitionId[] = [];

  /** What thread `thread` reported with a finished task. */
  report(thread: number, added: CachedPartitionId[], removed: CachedPartitionId[]): void {
    for (const p of added) {
      const key = keyOf(p);
      let set = this.holders.get(key);
      if (!set) {
        set = new Set();
        this.holders.set(key, set);
        this.added.push(p);
      }
      set.add(thread);
    }
    for (const p of removed) this.drop(keyOf(p), thread, p);
  }

  /** Thread `thread` is gone (killed or died) with everything it kept. */
  threadGone(thread: number): void {
    for (const [key, set] of [...this.holders]) if (set.has(thread)) this.drop(key, thread, idOf(key));
  }

  /** The driver dropped batches up to `time` itself: no report needed. */
  removeBatchesUpTo(time: number): void {
    for (const key of [...this.holders.keys()]) if (batchTimeOf(idOf(key).rddId) <= time) this.holders.delete(key);
  }

  /** The changes not yet reported to the driver (they go with the next TaskFinished). */
  take(): { added: CachedPartitionId[]; removed: CachedPartitionId[] } {
    const out = { added: this.added, removed: this.removed };
    this.added = [];
    this.removed = [];
    return out;
  }

  private drop(key: string, thread: number, p: CachedPartitionId): void {
    const set = this.holders.get(key);
    if (!set?.delete(thread) || set.size > 0) return;
    this.holders.delete(key);
    this.removed.push(p);
  }
}

function keyOf(p: CachedPartitionId): string {
  return `${p.rddId}#${p.partition}`;
}

function idOf(key: string): CachedPartitionId {
  const at = key.lastIndexOf('#');
  return { rddId: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}
