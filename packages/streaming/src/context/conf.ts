import { cpus } from 'node:os';
import { parseByteSize } from '../util/byte-size.js';
import { parseDuration } from '../util/duration.js';
import { DEFAULT_MAX_FRAME_BYTES } from '@sluice/protocol';
import { checkConfInput } from './conf-keys.js';

export { checkConfInput, CONF_KEY_KINDS, nearestConfKey } from './conf-keys.js';

/**
 * The configuration of a streaming application. Names follow Spark's
 * spark.streaming.* keys in camelCase; defaults are Spark's where Spark has one.
 */
export interface StreamingConf {
  appName: string;
  /**
   * Where tasks run, as Spark's master URL: 'executors' (default) starts executor
   * processes; 'local' runs tasks inside the driver process on one core, 'local[N]' on N,
   * 'local[*]' on as many as the machine has; 'k8s://https://HOST:PORT' starts the
   * executors as pods through that Kubernetes API server (see parseMaster).
   */
  master: string;
  /** Length of one micro-batch. */
  batchDurationMs: number;
  /** Receivers cut a block every blockInterval; one block becomes one partition. */
  blockIntervalMs: number;
  /** Local executor processes to start (0: wait for executors started by hand). */
  executors: number;
  /** Tasks one executor runs at the same time. */
  executorCores: number;
  /**
   * Extra command-line options for the node process of each local executor, split at
   * white space (as Spark's spark.executor.extraJavaOptions): for example
   * '--cpu-prof --cpu-prof-dir=/tmp/prof' or '--max-old-space-size=4096'. Options that
   * NODE_OPTIONS refuses (such as --cpu-prof) work here. Empty: none.
   */
  executorNodeOptions: string;
  /** Partitions of shuffles when an operator is not given a number. */
  defaultParallelism: number;
  /** Records per second per receiver; 0 means unlimited. With backpressure, the ceiling of its rate. */
  receiverMaxRate: number;

  // ---- backpressure (spark.streaming.backpressure.*; docs/flow-control.md) ------------------
  /**
   * Each input stream (receivers, the Kafka direct stream) takes in records at a rate a
   * PID controller sets after every batch, from how fast batches were processed and how
   * long they waited, so that batches are processed about as fast as they come.
   */
  backpressureEnabled: boolean;
  /**
   * With backpressure: the rate (records per second per stream) before the controller has
   * seen a batch; 0 = none (receivers take what comes, up to receiverMaxRate; the Kafka
   * direct stream's first batch takes the whole backlog, up to maxRatePerPartition).
   */
  backpressureInitialRate: number;
  /** PID weights (Spark's defaults: 1, 0.2, 0) and the lowest rate it sets (100 records/s). */
  backpressurePidProportional: number;
  backpressurePidIntegral: number;
  backpressurePidDerived: number;
  backpressurePidMinRate: number;
  receiverRestartDelayMs: number;
  /**
   * Received bytes a process (the driver, or an executor running receivers) may hold
   * before its receivers pause their sources: blocks waiting for a batch or in a batch not
   * yet done, plus the blocks being built. Pausing a socket stops reading it, so a fast
   * sender is held back by TCP instead of filling the heap. 0: no bound. The default,
   * 512 MiB, takes a burst of a few hundred megabytes in at once (as Spark's receivers
   * store into a block manager whose memory share of a default 1 GiB driver is about
   * 430 MiB, and spill past it), so that it goes into the next batch rather than waiting
   * for the batch before to finish.
   */
  receiverMaxBufferedBytes: number;
  /** Largest frame a receiver accepts before rejecting it. */
  maxFrameBytes: number;
  /**
   * Tasks sent to an executor beyond its free cores, queued there. Tasks carry their
   * blocks, so the next block travels while the current one is processed.
   */
  taskPrefetch: number;
  /** Attempts of a task lost with its executor before the job fails. */
  taskMaxFailures: number;
  /** Address the driver listens on for executors; bind to loopback unless told. */
  driverHost: string;
  driverPort: number;
  /** An executor silent for this long is declared lost. */
  executorTimeoutMs: number;
  /** Local executors that die are started again, up to this many times in all. */
  maxExecutorRestarts: number;
  /**
   * A task that has run this long on an executor (in its task thread, queueing not
   * counted) is reported as stuck, with its stage, partition and executor; 0 turns the
   * check off. Executors report their running tasks with every heartbeat (2 s).
   */
  stuckTaskTimeoutMs: number;
  /**
   * Also kill a task reported stuck (KillTask): its thread is stopped and replaced, and
   * the task fails its job with the report as the reason. Off by default: a slow task
   * is only reported.
   */
  killStuckTasks: boolean;
  /**
   * Whether start() waits for the executors to be ready before the receivers and the batch
   * clock start (default true: a job that cannot load on them fails start() before any
   * batch). false: as in Spark, receivers on the driver and the batch clock start at once
   * and the first batches' tasks wait in the queue until executors are ready, so the wait
   * for the first batch boundary overlaps the executors' start-up (start() still fails if
   * they cannot start). Applies to executor processes with receivers on the driver, not
   * to a recovery from a checkpoint.
   */
  waitForExecutors: boolean;
  /** Batches whose results are kept for listeners and the UI. */
  retainedBatches: number;
  /**
   * Batches generated and not yet finished (waiting in the job queue or running) before
   * the batch clock waits: the next batch is generated when one finishes, and the sources
   * (receivers through their buffer bound, the Kafka direct stream by not reading) are
   * held back meanwhile. Nothing is skipped or dropped; the late batches are reported.
   */
  maxQueuedBatches: number;
  /**
   * Where receivers run. 'driver' (default): the driver receives every byte and ships each
   * block inside the task that reads it; blocks survive any executor's loss. 'executor'
   * (Spark's way): each receiver runs on an executor, which keeps its blocks, and tasks go
   * to the executor holding their block, so the bytes cross loopback once.
   */
  receiverPlacement: 'driver' | 'executor';
  /**
   * receiverPlacement 'executor': copies of each block. 1 (default) keeps the only copy on
   * the receiver's executor: the fast path, but that executor's loss loses the blocks no
   * batch has finished. 2 also sends a copy to the driver, so losing the executor loses
   * nothing already received (it costs more than placing the receiver in the driver today).
   */
  blockReplication: number;
  /**
   * How long a task waits for the executor holding its block to have a free core before
   * it runs elsewhere with the driver's replica (Spark's spark.locality.wait).
   */
  localityWaitMs: number;
  /**
   * Where checkpoints of state and windows go (ssc.checkpoint(dir) sets it). Null: the
   * driver makes a temporary directory per application at start (fine for executors on
   * this host; executors elsewhere need a shared directory).
   */
  checkpointDir: string | null;
  /**
   * Receivers write every block to a write-ahead log in the checkpoint directory, fsynced
   * before the block counts as received (and before storeReliably resolves), so a driver
   * restarted from the checkpoint replays what was received but not yet processed. Needs
   * an explicit checkpoint directory. See docs/reliability.md.
   */
  receiverWriteAheadLog: boolean;
  /** A new write-ahead log file every this long; old files are deleted once no batch needs them. */
  writeAheadLogRollingIntervalMs: number;

  // ---- block manager ----------------------------------------------------------------------
  /**
   * Memory each executor's block manager may use for the partitions of persisted RDDs
   * (estimated heap bytes). Past it, the least recently used partitions of other RDDs
   * are evicted; an evicted partition is computed again from its lineage when read.
   */
  blockManagerMemoryBytes: number;
}

export type StreamingConfInput = Partial<
  Omit<
    StreamingConf,
    | 'batchDurationMs'
    | 'blockIntervalMs'
    | 'receiverRestartDelayMs'
    | 'executorTimeoutMs'
    | 'localityWaitMs'
    | 'blockManagerMemoryBytes'
    | 'writeAheadLogRollingIntervalMs'
    | 'receiverMaxBufferedBytes'
    | 'stuckTaskTimeoutMs'
  >
> & {
  /** Bytes, or a size such as '512m' (see receiverMaxBufferedBytes); 0: no bound. */
  receiverMaxBuffered?: string | number;
  /** A duration such as '60s' (see stuckTaskTimeoutMs). */
  stuckTaskTimeout?: string | number;
  /** Bytes, or a size such as '256m', '1g' (see blockManagerMemoryBytes). */
  blockManagerMemory?: string | number;
  localityWait?: string | number;
  batchDuration?: string | number;
  blockInterval?: string | number;
  receiverRestartDelay?: string | number;
  executorTimeout?: string | number;
  writeAheadLogRollingInterval?: string | number;
};

export function defaultExecutors(): number {
  return Math.max(1, Math.min(2, cpus().length));
}

export function resolveConf(input: StreamingConfInput = {}): StreamingConf {
  checkConfInput(input);
  const master = input.master ?? 'executors';
  const local = parseMaster(master);
  const executors = input.executors ?? defaultExecutors();
  const executorCores = input.executorCores ?? 1;
  // As in Spark, local[N] shuffles into N partitions unless told otherwise.
  const cores = local.kind === 'local' ? local.cores : executors * executorCores;
  const conf: StreamingConf = {
    appName: input.appName ?? 'sluice-app',
    master,
    batchDurationMs: parseDuration(input.batchDuration ?? '1s', 'batch duration'),
    blockIntervalMs: parseDuration(input.blockInterval ?? '200ms', 'block interval'),
    executors,
    executorCores,
    executorNodeOptions: input.executorNodeOptions ?? '',
    defaultParallelism: input.defaultParallelism ?? Math.max(1, cores),
    receiverMaxRate: input.receiverMaxRate ?? 0,
    backpressureEnabled: input.backpressureEnabled === true || String(input.backpressureEnabled) === 'true',
    backpressureInitialRate: input.backpressureInitialRate ?? 0,
    backpressurePidProportional: input.backpressurePidProportional ?? 1,
    backpressurePidIntegral: input.backpressurePidIntegral ?? 0.2,
    backpressurePidDerived: input.backpressurePidDerived ?? 0,
    backpressurePidMinRate: input.backpressurePidMinRate ?? 100,
    receiverRestartDelayMs: parseDuration(input.receiverRestartDelay ?? 2000, 'receiver restart delay'),
    receiverMaxBufferedBytes: parseByteSize(input.receiverMaxBuffered ?? '512m', 'receiver max buffered'),
    maxFrameBytes: input.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    taskPrefetch: input.taskPrefetch ?? 1,
    taskMaxFailures: input.taskMaxFailures ?? 4,
    driverHost: input.driverHost ?? '127.0.0.1',
    driverPort: input.driverPort ?? 0,
    executorTimeoutMs: parseDuration(input.executorTimeout ?? 30_000, 'executor timeout'),
    maxExecutorRestarts: input.maxExecutorRestarts ?? 10,
    stuckTaskTimeoutMs: parseDuration(input.stuckTaskTimeout ?? 60_000, 'stuck task timeout'),
    killStuckTasks: input.killStuckTasks === true || String(input.killStuckTasks) === 'true',
    waitForExecutors: input.waitForExecutors !== false && String(input.waitForExecutors) !== 'false',
    retainedBatches: input.retainedBatches ?? 1000,
    maxQueuedBatches: input.maxQueuedBatches ?? 1000,
    receiverPlacement: input.receiverPlacement ?? 'driver',
    blockReplication: input.blockReplication ?? 1,
    localityWaitMs: parseDuration(input.localityWait ?? 3000, 'locality wait'),
    checkpointDir: input.checkpointDir ?? null,
    receiverWriteAheadLog: input.receiverWriteAheadLog === true || String(input.receiverWriteAheadLog) === 'true',
    writeAheadLogRollingIntervalMs: parseDuration(input.writeAheadLogRollingInterval ?? 60_000, 'write-ahead log rolling interval'),
    blockManagerMemoryBytes: parseByteSize(input.blockManagerMemory ?? '256m', 'block manager memory'),
  };
  validateConf(conf);
  return conf;
}

export type Master =
  | { kind: 'executors' }
  | { kind: 'local'; cores: number }
  /** Executors as pods, started through the Kubernetes API server at `apiServer` (https://host:port). */
  | { kind: 'k8s'; apiServer: string };

/**
 * Reads the `master` setting: 'executors', 'local' (1 core), 'local[N]' or 'local[*]'
 * (the machine's cores). Anything else is an error naming the accepted forms.
 */
export function parseMaster(master: string): Master {
  if (master === 'executors') return { kind: 'executors' };
  if (master.startsWith('k8s://')) return { kind: 'k8s', apiServer: parseK8sMaster(master) };
  if (master === 'local') return { kind: 'local', cores: 1 };
  const match = /^local\[(\*|\d+)\]$/.exec(master);
  const cores = match ? (match[1] === '*' ? cpus().length : Number(match[1])) : 0;
  if (!match || !Number.isInteger(cores) || cores < 1) {
    throw new Error(
      `invalid master ${JSON.stringify(master)}: use executors (executor processes), local (tasks in the driver ` +
        'process, 1 core), local[N] (N cores), local[*] (all cores) or k8s://https://HOST:PORT (executors as Kubernetes pods)',
    );
  }
  return { kind: 'local', cores };
}

/** As spark-submit reads it: `k8s://https://h:p`, `k8s://http://h:p`, or `k8s://h:p` meaning https. */
function parseK8sMaster(master: string): string {
  const rest = master.slice('k8s://'.length);
  const url = /^https?:\/\//.test(rest) ? rest : `https://${rest}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`invalid master ${JSON.stringify(master)}: expected k8s://https://HOST:PORT (the Kubernetes API server)`);
  }
  if (!parsed.hostname || (parsed.pathname !== '/' && parsed.pathname !== '')) {
    throw new Error(`invalid master ${JSON.stringify(master)}: expected k8s://https://HOST:PORT (the Kubernetes API server)`);
  }
  return `${parsed.protocol}//${parsed.host}`;
}

function validateConf(conf: StreamingConf): void {
  if (conf.batchDurationMs <= 0) throw new Error('batch duration must be positive');
  if (conf.blockIntervalMs <= 0) throw new Error('block interval must be positive');
  if (conf.blockIntervalMs > conf.batchDurationMs) {
    throw new Error(
      `block interval (${conf.blockIntervalMs} ms) is longer than the batch duration (${conf.batchDurationMs} ms)`,
    );
  }
  if (!Number.isInteger(conf.executors) || conf.executors < 0) throw new Error('executors must be an integer >= 0');
  if (!Number.isInteger(conf.executorCores) || conf.executorCores < 1) throw new Error('executor cores must be an integer >= 1');
  if (!Number.isInteger(conf.defaultParallelism) || conf.defaultParallelism < 1) {
    throw new Error('default parallelism must be an integer >= 1');
  }
  if (conf.receiverMaxRate < 0) throw new Error('receiver max rate must be >= 0');
  if (!Number.isInteger(conf.maxQueuedBatches) || conf.maxQueuedBatches < 1) {
    throw new Error(`maxQueuedBatches must be an integer >= 1, got ${JSON.stringify(conf.maxQueuedBatches)}`);
  }
  const nonNegative = [
    ['backpressureInitialRate', conf.backpressureInitialRate],
    ['backpressurePidProportional', conf.backpressurePidProportional],
    ['backpressurePidIntegral', conf.backpressurePidIntegral],
    ['backpressurePidDerived', conf.backpressurePidDerived],
  ] as const;
  for (const [key, value] of nonNegative) {
    if (typeof value !== 'number' || !(value >= 0)) throw new Error(`${key} must be a number >= 0, got ${JSON.stringify(value)}`);
  }
  if (typeof conf.backpressurePidMinRate !== 'number' || !(conf.backpressurePidMinRate > 0)) {
    throw new Error(`backpressurePidMinRate must be a number > 0, got ${JSON.stringify(conf.backpressurePidMinRate)}`);
  }
  if (conf.receiverPlacement !== 'driver' && conf.receiverPlacement !== 'executor') {
    throw new Error(`receiver placement must be 'driver' or 'executor', got ${JSON.stringify(conf.receiverPlacement)}`);
  }
  if (conf.blockReplication !== 1 && conf.blockReplication !== 2) {
    throw new Error(`block replication must be 1 or 2, got ${conf.blockReplication}`);
  }
}

/** The input that resolves to `conf` again: how an executor rebuilds the driver's conf. */
/**
 * The variables a driver's job asked every executor to have (StreamingContext.setExecutorEnv),
 * carried in the configuration sent to executors; they are set in the executor's
 * environment before it loads the job, and are not a setting.
 */
export function executorEnvOf(confJson: string): Record<string, string> {
  return (JSON.parse(confJson) as { executorEnv?: Record<string, string> }).executorEnv ?? {};
}

export function confAsInput(conf: StreamingConf): StreamingConfInput {
  const {
    executorEnv: _executorEnv,
    batchDurationMs,
    blockIntervalMs,
    receiverRestartDelayMs,
    executorTimeoutMs,
    localityWaitMs,
    blockManagerMemoryBytes,
    writeAheadLogRollingIntervalMs,
    receiverMaxBufferedBytes,
    stuckTaskTimeoutMs,
    ...rest
  } = conf as StreamingConf & { executorEnv?: unknown };
  return {
    ...rest,
    blockManagerMemory: blockManagerMemoryBytes,
    batchDuration: batchDurationMs,
    blockInterval: blockIntervalMs,
    receiverRestartDelay: receiverRestartDelayMs,
    executorTimeout: executorTimeoutMs,
    localityWait: localityWaitMs,
    writeAheadLogRollingInterval: writeAheadLogRollingIntervalMs,
    receiverMaxBuffered: receiverMaxBufferedBytes,
    stuckTaskTimeout: stuckTaskTimeoutMs,
  };
}
