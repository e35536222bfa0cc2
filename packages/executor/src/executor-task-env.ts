import type { PartitionCache, ShippedBlock, TaskEnv, TaskSpec } from '@sluice/streaming';
import type { BlockStore } from './block-store';

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
  ) {}

  get batchTime(): number {
    return this.task.batchTime;
  }

  get partition(): number {
    return this.task.partition;
  }

  inputBlocks(rddId: string, partition: number): ShippedBlock[] {
    const input = this.task.inputPartitions.find((ip) => ip.rddId === rddId && ip.partition === partition);
    if (!input) throw new Error(`task did not ship partition ${partition} of ${rddId}`);
    return input.blocks.map((b) => {
      if (b.segments) return b;
      const stored = this.store.get(b.blockId);
      if (!stored) throw new Error(`block ${b.blockId} is not in the block store of executor ${this.executorId}`);
      return stored;
    });
  }

  shuffleBuckets(shuffleId: string): Uint8Array[] {
    const input = this.task.shuffleInputs.find((s) => s.shuffleId === shuffleId);
    if (!input) throw new Error(`task did not ship the map outputs of shuffle ${shuffleId}`);
    return input.buckets;
  }

  getCachedPartition(rddId: string, partition: number): unknown[] | undefined {
    return this.cache.get(rddId, partition);
  }

  putCachedPartition(rddId: string, partition: number, records: unknown[]): void {
    this.cache.put(rddId, partition, records);
  }
}
