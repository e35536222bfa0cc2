import { FetchFailedError, shippedInputBlocks, type CachedPartitionId, type PartitionCache, type ShippedBlock, type TaskEnv, type TaskSpec } from '@sluice/streaming/internal';
import type { BlockStore } from './block-store.js';

/**
 * What a running task reads: the blocks and shuffle buckets shipped inside it, the
 * blocks this executor's receivers stored (tasks reading them are sent here), and the
 * partitions of persisted RDDs this executor's block manager keeps.
 */
export class ExecutorTaskEnv implements TaskEnv {
  recordsRead = 0;

  constructor(
    private readonly task: TaskSpec,
    readonly attempt: number,
    readonly executorId: string,
    private readonly store: BlockStore,
    private readonly cache: PartitionCache,
    /** The buckets of each shuffle this task reads, fetched before it runs. */
    private readonly shuffleData: Map<string, Uint8Array[]>,
    /** Told of each partition this task kept, for the report to the driver. */
    private readonly onCached: (p: CachedPartitionId) => void,
  ) {}

  get batchTime(): number {
    return this.task.batchTime;
  }

  get partition(): number {
    return this.task.partition;
  }

  inputBlocks(rddId: string, partition: number): ShippedBlock[] {
    return shippedInputBlocks(this.task, rddId, partition).map((b) => {
      if (b.segments) return b;
      const stored = this.store.get(b.blockId);
      if (!stored) throw new Error(`block ${b.blockId} is not in the block store of executor ${this.executorId}`);
      return stored;
    });
  }

  shuffleBuckets(shuffleId: string): Uint8Array[] {
    const buckets = this.shuffleData.get(shuffleId);
    // The driver leaves out map outputs below a partition it expected cached here; it was
    // not (evicted, or the task ran elsewhere): a fetch failure the driver answers by
    // computing that lineage too.
    if (!buckets) throw new FetchFailedError(shuffleId, -1, '', 'no map output locations were sent: a cached partition above it was expected here');
    return buckets;
  }

  getCachedPartition(rddId: string, partition: number): unknown[] | undefined {
    return this.cache.get(rddId, partition);
  }

  putCachedPartition(rddId: string, partition: number, records: unknown[]): void {
    if (this.cache.put(rddId, partition, records)) this.onCached({ rddId, partition });
  }
}
