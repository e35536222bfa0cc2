import { parentPort, workerData } from 'node:worker_threads';
import { decodeEnvelope } from '@sluice/protocol';
import { FetchFailedError, LineageReplayer, originalStack, PartitionCache, runTask, type CachedPartitionId, type ShippedBlock } from '@sluice/streaming/internal';
import { BlockStore } from './block-store.js';
import { ExecutorTaskEnv } from './executor-task-env.js';
import { loadJob } from './job-loader.js';
import { fromLaunchTask } from './task-codec.js';
import type { FromTaskThread, TaskThreadInit, TaskThreadOutcome, TaskThreadSetup, ToTaskThread } from './task-thread-messages.js';
import { traceStartup } from './startup-trace.js';

/**
 * The body of one task thread of an executor: loads the job module, rebuilds the graph
 * and then runs the tasks the main thread posts, one at a time. It keeps the cached
 * partitions (RDD.persist) of the tasks it ran, as records, so reading one costs nothing;
 * a task that lands on another thread of the executor computes the partition again from
 * its lineage (a cache miss, as after an eviction).
 */
const port = parentPort;
if (!port) throw new Error('task-thread-runner runs inside a worker thread of an executor');
const init = workerData as TaskThreadInit;
const log = (line: string) => process.stderr.write(`${line}\n`);

// Started before the executor registered (the warm-up runs meanwhile, see
// task-thread-main.ts): the job comes as the first message.
traceStartup('task thread: engine loaded');
const setup: TaskThreadSetup =
  init.setup ??
  (await new Promise<TaskThreadSetup>((resolve) => {
    port.once('message', (msg: ToTaskThread) => {
      if (msg.type === 'setup') resolve(msg.setup);
    });
  }));

traceStartup('task thread: job received');
let cacheAdded: CachedPartitionId[] = [];
let cacheRemoved: CachedPartitionId[] = [];
const cache = new PartitionCache({ maxBytes: setup.cacheBytes, onEvicted: (evicted) => cacheRemoved.push(...evicted) });
let replayer: LineageReplayer;

function post(message: FromTaskThread, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

try {
  const ssc = await loadJob(setup, log);
  replayer = new LineageReplayer(ssc.graph);
  post({ type: 'ready', graphSignature: ssc.graph.signature() });
  traceStartup('task thread: job loaded');
} catch (err) {
  post({ type: 'loadFailed', reason: `could not load the job module ${setup.jobModule}: ${(err as Error)?.stack ?? String(err)}` });
}

port.on('message', (msg: ToTaskThread) => {
  if (msg.type === 'setup') return;
  if (msg.type === 'batchDone') {
    cache.removeBatchesUpTo(msg.cachedUpTo);
    replayer.forgetBatch(msg.batchTime);
    return;
  }
  void run(msg).then(({ outcome, transfer }) => post({ type: 'finished', ...outcome }, transfer));
});

async function run(msg: Extract<ToTaskThread, { type: 'run' }>): Promise<{ outcome: TaskThreadOutcome; transfer: ArrayBuffer[] }> {
  const launch = decodeEnvelope(Buffer.from(msg.envelope.buffer, msg.envelope.byteOffset, msg.envelope.byteLength)).launchTask;
  let env: ExecutorTaskEnv | null = null;
  const changes = () => {
    const taken = { cacheAdded, cacheRemoved };
    cacheAdded = [];
    cacheRemoved = [];
    return taken;
  };
  try {
    if (!launch) throw new Error('the executor posted a task without its LaunchTask');
    const spec = fromLaunchTask(launch, Buffer.from(msg.trailer.buffer, msg.trailer.byteOffset, msg.trailer.byteLength));
    const store = new BlockStore();
    for (const block of msg.localBlocks) store.put(asBuffers(block));
    env = new ExecutorTaskEnv(spec, msg.attempt, setup.executorId, store, cache, new Map(msg.shuffleData), (p) => cacheAdded.push(p));
    const out = await runTask(replayer, spec, env);
    const result = out.result;
    return {
      outcome: { taskId: msg.taskId, ok: true, result, shuffleBuckets: out.shuffleBuckets, recordsRead: env.recordsRead, ...changes() },
      transfer: movable([result, ...out.shuffleBuckets]),
    };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    return {
      outcome: {
        taskId: msg.taskId,
        ok: false,
        errorMessage: `${error.name}: ${error.message}`,
        errorStack: originalStack(error.stack ?? ''),
        fetchFailed:
          error instanceof FetchFailedError ? { shuffleId: error.shuffleId, mapPartition: error.mapPartition, executorId: error.executorId } : null,
        recordsRead: env?.recordsRead ?? 0,
        ...changes(),
      },
      transfer: [],
    };
  }
}

/** Blocks arrive as Uint8Arrays (structured clone drops Buffer); readers expect Buffers. */
function asBuffers(block: ShippedBlock): ShippedBlock {
  return { ...block, segments: block.segments?.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength)) ?? null };
}

/**
 * The buffers that can move to the main thread instead of being copied: those a view
 * covers whole (v8.serialize output). A view into a larger buffer (Node's pool) is copied.
 */
function movable(views: Uint8Array[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of views) {
    if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.buffer instanceof ArrayBuffer && v.byteLength > 0) out.add(v.buffer);
  }
  return [...out];
}
