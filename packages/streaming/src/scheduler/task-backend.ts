import type { BroadcastValue } from '../broadcast/broadcast.js';
import type { Observable } from 'rxjs';
import type { ShippedBlock } from '../rdd/task-env.js';
import { FetchFailedError } from './fetch-failed-error.js';
import type { CachedPartitionId } from '../storage/partition-cache.js';
import type { MapOutputLocation, MapStatus } from './map-output-tracker.js';
import type { ReceiverHost } from './receiver-host.js';

/** One task, as the driver describes it to an executor (see LaunchTask in sluice.proto). */
export interface TaskSpec {
  batchTime: number;
  /** The graph's zero time: which times windows and slides fall on (see DStream). */
  zeroTime: number;
  /** Values of the job's broadcast variables for this batch (broadcast/broadcast.ts). */
  broadcasts: BroadcastValue[];
  outputOp: number;
  actionIndex: number;
  actionKind: string;
  stageRdd: string;
  partition: number;
  shuffleId: string;
  inputsJson: string;
  inputPartitions: { rddId: string; partition: number; blocks: ShippedBlock[] }[];
  /**
   * The shuffles this task reads (reduce side): where each map task's output is. The
   * task's environment fetches bucket `reducePartition` of each (from the executor that
   * wrote it); the driver never carries shuffle bytes.
   */
  shuffleInputs: { shuffleId: string; reducePartition: number; maps: MapOutputLocation[] }[];
  priorActionResults: Uint8Array;
  /**
   * Executors keeping cached partitions (persisted RDDs) this task reads: the task goes to
   * one of them if it can (locality), like a task reading a block kept by an executor.
   * Empty: no preference.
   */
  preferredExecutors: string[];
}

/** A reduce task could not read a map output from the executor said to keep it. */
export interface FetchFailure {
  shuffleId: string;
  mapPartition: number;
  executorId: string;
  message: string;
}

/** What a task changed in its executor's cache of persisted partitions. */
export interface CacheReport {
  added: CachedPartitionId[];
  /** Evicted to make room (bounded memory). */
  removed: CachedPartitionId[];
}

/**
 * The blocks of partition `partition` of input RDD `rddId` that the driver put in `task`.
 * Every task environment (executor or local) reads its input through this.
 */
export function shippedInputBlocks(task: TaskSpec, rddId: string, partition: number): ShippedBlock[] {
  const input = task.inputPartitions.find((ip) => ip.rddId === rddId && ip.partition === partition);
  // The driver leaves out the input below a partition it expected cached where the task
  // runs; it was not (evicted, or the task ran elsewhere): a fetch failure naming no
  // executor, which the driver answers by running the task again with its whole lineage.
  if (!input) throw new FetchFailedError(rddId, -1, '', `the blocks of its partition ${partition} were not sent: a cached partition above it was expected here`);
  return input.blocks;
}

export type TaskOutcome =
  | {
      ok: true;
      result: Uint8Array;
      /** Shuffle-map tasks: the output kept where the task ran (sizes per reduce partition). */
      mapStatus: MapStatus | null;
      cacheReport?: CacheReport;
      runMs: number;
      recordsRead: number;
      executorId: string;
    }
  | {
      ok: false;
      message: string;
      stack: string;
      executorId: string;
      lostExecutor: boolean;
      /** Set when the task failed because a map output it reads was not there. */
      fetchFailed?: FetchFailure;
      cacheReport?: CacheReport;
    };

export interface ApplicationInfo {
  /** The job module executors load, as a file path or URL ('' when the backend has the job otherwise). */
  jobModule: string;
  jobArgs: string[];
  confJson: string;
  /** The driver's DStream graph fingerprint; executors report theirs. */
  graphSignature?: string;
}

export type ExecutorEvent =
  | { type: 'added'; executorId: string; host: string; cores: number }
  | { type: 'removed'; executorId: string; reason: string }
  | { type: 'heartbeat'; executorId: string; time: number; runningTasks: number; memoryBytes: number };

/**
 * Where tasks run. The engine only needs "run this task somewhere and tell me how it
 * went"; @sluice/executor implements it with executor processes over TCP.
 */
export interface TaskBackend {
  start(app: ApplicationInfo): Promise<void>;
  /**
   * Runs a task; a task lost with its executor is retried elsewhere by the backend. When
   * `cancel` aborts (its job failed), a queued task is dropped and a running one killed
   * where the backend can; either way the outcome is a failure naming the reason.
   */
  submit(task: TaskSpec, cancel?: AbortSignal): Promise<TaskOutcome>;
  /**
   * Batch `batchTime` is finished everywhere: executors can drop what they kept for it.
   * Cached partitions (RDD.persist) and shuffle map outputs of every batch up to
   * `cachedUpTo` are no longer needed by any stream (a window or state may still need
   * earlier batches than `batchTime`): the backend drops them wherever they are kept.
   */
  batchDone(batchTime: number, cachedUpTo: number): void;
  stop(): Promise<void>;
  readonly events$: Observable<ExecutorEvent>;
  readonly totalCores: number;
  /**
   * Takes tasks before start() has resolved (they wait for executors): the context may
   * then start its clock while the backend starts (conf waitForExecutors false).
   */
  readonly queuesTasksBeforeStart?: boolean;
  /** Present when receivers can run on the executors (receiverPlacement 'executor'). */
  readonly receiverHost?: ReceiverHost;
}
