import type { CachedPartitionId, ShippedBlock } from '@sluice/streaming/internal';
import type { JobSetup } from './job-loader.js';
import type { ExecutorWarmUp } from './warm-up.js';

/**
 * The messages between an executor's main thread and its task threads
 * (node:worker_threads). The main thread keeps the connection to the driver, the
 * heartbeat, the block server, the shuffle outputs and the receivers' blocks; a task
 * thread replays lineages and runs user code. Bytes cross as transferred ArrayBuffers
 * (moved, not copied) wherever the sender has no further use for them.
 */
export interface TaskThreadSetup extends JobSetup {
  executorId: string;
  /** This thread's share of the executor's block manager memory. */
  cacheBytes: number;
}

/**
 * A task thread's workerData. Threads started before the executor has registered have no
 * setup yet: it comes as their first message ({ type: 'setup' }), and meanwhile they load
 * the engine and run the warm-up.
 */
export interface TaskThreadInit {
  setup: TaskThreadSetup | null;
  warmUp: ExecutorWarmUp | null;
}

export type ToTaskThread =
  | { type: 'setup'; setup: TaskThreadSetup }
  | {
      type: 'run';
      taskId: number;
      attempt: number;
      /** The task's LaunchTask, encoded as an Envelope, in a buffer of its own. */
      envelope: Uint8Array;
      /** The task frame's trailer (the shipped blocks' bytes), in a buffer of its own. */
      trailer: Uint8Array;
      /** Blocks this executor's receivers stored that the task reads (sent as `local`). */
      localBlocks: ShippedBlock[];
      /** The buckets of each shuffle the task reads, fetched by the main thread. */
      shuffleData: [string, Uint8Array[]][];
    }
  | { type: 'batchDone'; batchTime: number; cachedUpTo: number };

export interface TaskThreadCacheChanges {
  cacheAdded: CachedPartitionId[];
  cacheRemoved: CachedPartitionId[];
}

export type TaskThreadOutcome = TaskThreadCacheChanges & { taskId: number; recordsRead: number } & (
    | { ok: true; result: Uint8Array; shuffleBuckets: Uint8Array[] }
    | {
        ok: false;
        errorMessage: string;
        errorStack: string;
        fetchFailed: { shuffleId: string; mapPartition: number; executorId: string } | null;
      }
  );

export type FromTaskThread =
  | { type: 'ready'; graphSignature: string }
  | { type: 'loadFailed'; reason: string }
  | ({ type: 'finished' } & TaskThreadOutcome);
