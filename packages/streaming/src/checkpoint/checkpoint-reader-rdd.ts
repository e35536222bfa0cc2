import type { Dependency } from '../rdd/dependency.js';
import { RDD } from '../rdd/rdd.js';
import type { TaskEnv } from '../rdd/task-env.js';
import type { CheckpointCut } from './checkpoint-cut.js';
import { readPartitionFile } from './checkpoint-files.js';
import type { PartitionCodec } from './partition-codec.js';

/**
 * A checkpointed RDD as an executor's replay sees it: same id, same partitions, no
 * parents; each partition is read back from its file. It is where a recursive lineage
 * starts on executors (see checkpoint-cut.ts).
 */
export class CheckpointReaderRDD<T> extends RDD<T> {
  readonly name = 'CheckpointReaderRDD';
  readonly dependencies: Dependency[] = [];
  readonly numPartitions: number;

  constructor(
    readonly cut: CheckpointCut,
    private readonly codec: PartitionCodec<T>,
  ) {
    super(cut.rddId);
    this.numPartitions = cut.numPartitions;
    this.checkpointCut = cut;
  }

  compute(partition: number, _env: TaskEnv): Promise<T[]> {
    return readCheckpointedPartition(this, partition, this.codec);
  }
}

/** A partition of a checkpointed RDD, read back from its file. */
export async function readCheckpointedPartition<T>(rdd: RDD<T>, partition: number, codec: PartitionCodec<T>): Promise<T[]> {
  const cut = rdd.checkpointCut;
  if (!cut) throw new Error(`${rdd.id} is not checkpointed`);
  return codec.decode(await readPartitionFile(cut.dir, cut.rddId, partition));
}
