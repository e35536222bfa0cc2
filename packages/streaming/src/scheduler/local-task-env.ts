import type { ShippedBlock, TaskEnv } from '../rdd/task-env.js';
import type { CachedPartitionId, PartitionCache } from '../storage/partition-cache.js';
import { ShuffleOutputStore } from '../storage/shuffle-output-store.js';
import { FetchFailedError } from './fetch-failed-error.js';
import { shippedInputBlocks, type TaskSpec } from './task-backend.js';

/**
 * What a task run by the local backend reads: what the driver put in the task, and the
 * persisted partitions kept in the process (the local backend's block manager).
 */
export class LocalTaskEnv implements TaskEnv {
  recordsRead = 0;
  readonly attempt = 0;
  /** Partitions this task kept, reported to the driver as an executor reports them. */
  readonly cached: CachedPartitionId[] = [];

  constructor(
    private readonly task: TaskSpec,
    readonly executorId: string,
    private readonly cache: PartitionCache,
    /** The map outputs of shuffles, kept in this process where their map tasks ran. */
    private readonly shuffles: ShuffleOutputStore = new ShuffleOutputStore(),
  ) {}

  get batchTime(): number {
    return this.task.batchTime;
  }

  get partition(): number {
    return this.task.partition;
  }

  inputBlocks(rddId: string, partition: number): ShippedBlock[] {
    return shippedInputBlocks(this.task, rddId, partition);
  }

  shuffleBuckets(shuffleId: string): Uint8Array[] {
    const input = this.task.shuffleInputs.find((s) => s.shuffleId === shuffleId);
    if (!input) throw new FetchFailedError(shuffleId, -1, '', 'no map output locations were sent: a cached partition above it was expected here');
    return input.maps.map((m) => {
      const bucket = this.shuffles.get(shuffleId, m.mapPartition, input.reducePartition);
      if (!bucket) throw new FetchFailedError(shuffleId, m.mapPartition, m.executorId, 'it is not kept in this process');
      return bucket;
    });
  }

  getCachedPartition(rddId: string, partition: number): unknown[] | undefined {
    return this.cache.get(rddId, partition);
  }

  putCachedPartition(rddId: string, partition: number, records: unknown[]): void {
    if (this.cache.put(rddId, partition, records)) this.cached.push({ rddId, partition });
  }
}
