import type { DStream } from '../dstream/dstream.js';
import { OutputDStream } from '../dstream/output-dstream.js';
import { checkpointWriteAction } from './checkpoint-action.js';
import { removeCheckpointedRdd } from './checkpoint-files.js';

/** Spark's default for streams that must be checkpointed: the smallest multiple of the slide >= 10 s. */
export function defaultCheckpointIntervalMs(slideMs: number): number {
  return slideMs * Math.max(1, Math.ceil(10_000 / slideMs));
}

/** The stream's checkpoint interval, or null if it is never checkpointed. */
export function checkpointIntervalOf(stream: DStream<unknown>): number | null {
  if (stream.checkpointIntervalSetMs !== null) return stream.checkpointIntervalSetMs;
  return stream.mustCheckpoint ? defaultCheckpointIntervalMs(stream.slideDurationMs) : null;
}

const withCheckpointer = new WeakSet<DStream<unknown>>();

/**
 * Saves `stream`'s RDD every checkpoint interval, as an output operation of its own so
 * that executors find the job by replay like any other: its tasks write their partitions
 * to the checkpoint directory (write, fsync, rename), and once all are written the driver
 * marks the RDD as cut, so later lineages (on the driver and in executors' replays) start
 * from the files. The two newest checkpoints of a stream are kept: an RDD older than the
 * newest cut (a window reaching back) may still start from the one before.
 */
export function addCheckpointer(stream: DStream<unknown>): void {
  if (withCheckpointer.has(stream)) return;
  withCheckpointer.add(stream);
  const graph = stream.graph;
  // The graph keeps the list (newest last), so that metadata checkpoints record the cuts
  // in use and a restarted driver starts from them (and removes them in turn).
  const saved = graph.dataCheckpointsOf(stream.id);

  const isCheckpointTime = (time: number): boolean => {
    const interval = checkpointIntervalOf(stream);
    return interval !== null && (time - graph.zeroTime) % interval === 0;
  };

  new OutputDStream(
    stream,
    async (rdd, time) => {
      // Executors only replay this operation for the tasks of a checkpoint job, so they take
      // the driver's decision rather than make their own.
      if (graph.mode === 'driver' && (rdd.checkpointCut || !isCheckpointTime(time))) return;
      const dir = graph.checkpointDir;
      if (!dir) throw new Error(`${stream.toString()} must be checkpointed but no checkpoint directory is set`);
      await rdd.runAction(checkpointWriteAction(dir, rdd.id, stream.checkpointCodec()));
      const cut = { streamId: stream.id, time, rddId: rdd.id, dir, numPartitions: rdd.numPartitions };
      rdd.markCheckpointed(cut);
      saved.push(cut);
      while (saved.length > 2) {
        const old = saved.shift()!;
        if (graph.retiredDataCheckpoints) graph.retiredDataCheckpoints.push(old);
        else await removeCheckpointedRdd(dir, old.rddId);
      }
    },
    'checkpoint',
    `checkpoint of ${stream.toString()}`,
  );
}
