import { withTaskBroadcasts } from '../broadcast/broadcast.js';
import { serialize } from 'node:v8';
import { lineage } from '../rdd/rdd.js';
import { ShuffledRDD } from '../rdd/shuffled-rdd.js';
import type { TaskEnv } from '../rdd/task-env.js';
import type { LineageReplayer } from './lineage-replay.js';
import type { TaskSpec } from './task-backend.js';

export interface TaskResult {
  result: Uint8Array;
  shuffleBuckets: Uint8Array[];
}

const EMPTY = new Uint8Array(0);

/** Runs one task on an executor: finds its RDD by replay, computes the partition, acts. */
export function runTask(replayer: LineageReplayer, task: TaskSpec, env: TaskEnv): Promise<TaskResult> {
  // The user's functions read Broadcast.value in this task's async context.
  return withTaskBroadcasts(task.broadcasts, () => runTaskWithBroadcasts(replayer, task, env));
}

async function runTaskWithBroadcasts(replayer: LineageReplayer, task: TaskSpec, env: TaskEnv): Promise<TaskResult> {
  const job = await replayer.find(task);
  if (job.action.kind !== task.actionKind) {
    throw new Error(
      `the job module built a different job here (action ${task.actionIndex} is ${job.action.kind}, the driver ran ${task.actionKind}); ` +
        'output functions must build the same RDDs on every run',
    );
  }
  const target = lineage(job.rdd).find((r) => r.id === task.stageRdd);
  if (!target) throw new Error(`RDD ${task.stageRdd} is not in the lineage rebuilt here: the job module built a different graph`);

  // A shuffle's map side takes the partition record by record (RDD.forEachRecord, which
  // streams map/flatMap/filter chains and reads chunked sources a chunk at a time);
  // folding actions take it in chunks (see rdd/partition-chunks.ts).
  if (task.shuffleId) {
    if (!(target instanceof ShuffledRDD)) throw new Error(`RDD ${task.stageRdd} is not a shuffle`);
    return { result: EMPTY, shuffleBuckets: await target.writeMapOutput(task.partition, env) };
  }
  const action = job.action;
  const partial = action.perChunks
    ? await action.perChunks(target.chunks(task.partition, env), task.partition)
    : await action.perPartition(await target.iterator(task.partition, env), task.partition);
  return { result: serialize(partial), shuffleBuckets: [] };
}
