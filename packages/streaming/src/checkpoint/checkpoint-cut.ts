/**
 * Where the lineage of a recursive stream (state, inverse-reduce window) is cut: the RDD
 * of stream `streamId` for batch `time` has its partitions saved in `dir/rddId/`.
 *
 * On the driver the RDD itself carries its cut (`rdd.checkpointCut`), so lineages stop
 * there. Executors learn of it from the task: the driver sends every cut in the task's
 * lineage with the input metadata (under `cutKey(streamId, time)`), and an executor's
 * replay then builds a checkpoint reader for that batch instead of following the stream
 * back to its first batch.
 */
export interface CheckpointCut {
  streamId: number;
  time: number;
  rddId: string;
  /** The checkpoint directory of the application. */
  dir: string;
  numPartitions: number;
}

export function cutKey(streamId: number, time: number): string {
  return `cut:d${streamId}@${time}`;
}
