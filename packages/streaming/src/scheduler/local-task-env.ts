import type { ShippedBlock, TaskEnv } from '../rdd/task-env';
import type { TaskSpec } from './task-backend';

/** What a task run by the local backend reads: exactly what the driver put in the task. */
export class LocalTaskEnv implements TaskEnv {
  recordsRead = 0;
  readonly attempt = 0;

  constructor(
    private readonly task: TaskSpec,
    readonly executorId: string,
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
    return input.blocks;
  }

  shuffleBuckets(shuffleId: string): Uint8Array[] {
    const input = this.task.shuffleInputs.find((s) => s.shuffleId === shuffleId);
    if (!input) throw new Error(`task did not ship the map outputs of shuffle ${shuffleId}`);
    return input.buckets;
  }
}
