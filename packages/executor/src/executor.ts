import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import {
  authenticateClient,
  encodeEnvelope,
  RpcConnection,
  type Envelope,
  type ExecutorRegistered,
  type JobBundle,
  type LaunchTask,
} from '@sluice/protocol';
import { executorEnvOf, FetchFailedError, ShuffleOutputStore, type ShippedBlock, type StreamingConf } from '@sluice/streaming/executor-support';
import { BlockServer } from './block-server.js';
import { BlockStore } from './block-store.js';
import type { ExecutorReceivers } from './executor-receivers.js';
import type { JobSetup } from './job-loader.js';
import type { BundleExternal } from './job-bundle.js';
import { cachedBundle, checkExternals, storeBundle } from './job-cache.js';
import { ShuffleFetcher } from './shuffle-fetcher.js';
import { SLUICE_VERSION } from './sluice-version.js';
import { TaskThreadGone, type TaskThread } from './task-thread.js';
import type { TaskThreadOutcome } from './task-thread-messages.js';
import { traceStartup } from './startup-trace.js';
import { TaskThreads } from './task-threads.js';
import type { ExecutorWarmUp } from './warm-up.js';

export interface ExecutorOptions {
  driverHost: string;
  driverPort: number;
  cores: number;
  executorId?: string;
  log?: (line: string) => void;
  /** The shared secret both sides prove they know before anything else is sent. */
  secret: Uint8Array;
  /** Connect with TLS: `ca` is the PEM of the CA (or self-signed certificate) to trust; without it, the system's CAs. */
  tls?: { ca?: Buffer };
  /** Say when it is connected and ready (`sluice executor`, started by hand); local executors stay quiet. */
  announce?: boolean;
  /** Run in the task threads as they start, before the driver answers (see ExecutorWarmUp). */
  warmUp?: ExecutorWarmUp | null;
  /** Task threads already started (with their warm-up), one per core; the rest start here. */
  taskThreads?: TaskThread[];
}

const HEARTBEAT_MS = 2000;

/**
 * An executor: connects to the driver, loads the application's job module (as a Spark
 * executor loads the application jar), rebuilds its DStream graph on an inert context,
 * and runs up to `cores` tasks at a time, each in a task thread of its own (see
 * TaskThreads): user code never blocks this thread, which keeps the driver connection,
 * the heartbeat, the block server, shuffle fetches and receivers placed here. The same
 * program serves local executors started by the driver and remote ones started by hand
 * with the driver's address.
 */
export class Executor {
  private rpc: RpcConnection | null = null;
  private receivers: ExecutorReceivers | null = null;
  private readonly blockStore = new BlockStore();
  /** Shuffle map outputs written here, served to peers by the block server. */
  private readonly shuffleStore = new ShuffleOutputStore();
  private readonly blockServer: BlockServer;
  private fetcher: ShuffleFetcher | null = null;
  private threads: TaskThreads | null = null;
  private executorId = '';
  private readonly queued: { message: LaunchTask; trailer: Buffer; ownsBuffer: boolean }[] = [];
  /** Tasks taken from the queue and not finished; `killed` says why when KillTask came. */
  private readonly active = new Map<number, { killed: string | null }>();
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly log: (line: string) => void;
  private done!: (code: number) => void;
  private finished = false;
  readonly exited = new Promise<number>((r) => (this.done = r));

  constructor(private readonly options: ExecutorOptions) {
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.blockServer = new BlockServer(this.shuffleStore, options.secret, this.log);
  }

  start(): Promise<number> {
    const { driverHost: host, driverPort: port, tls } = this.options;
    // The task threads start now, not once the driver has answered: loading the engine
    // and the warm-up (e.g. a model) overlap the driver's own start and the registration.
    this.threads = new TaskThreads(
      this.options.cores,
      this.log,
      () => this.drain(),
      (reason) => {
        this.log(`executor ${this.executorId}: ${reason}`);
        void this.finish(1);
      },
      this.options.warmUp ?? null,
    );
    this.threads.prestart(this.options.taskThreads);
    traceStartup('executor: engine loaded, task threads started');
    const socket: Socket = tls ? tlsConnect({ host, port, ca: tls.ca, servername: isIp(host) ? undefined : host }) : connect({ host, port });
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      authenticateClient(socket, this.options.secret).then(
        () => this.connected(socket),
        (err: Error) => {
          this.log(`executor: could not authenticate to the driver at ${host}:${port}: ${err.message}`);
          socket.destroy();
          void this.finish(1);
        },
      );
    });
    socket.once('error', (err) => {
      if (this.rpc) return; // the connection reports it
      this.log(`executor: cannot reach the driver at ${host}:${port}: ${err.message}`);
      void this.finish(1);
    });
    return this.exited;
  }

  private connected(socket: Socket): void {
    this.rpc = new RpcConnection(
      socket,
      (msg, trailer, ownsBuffer) => void this.onMessage(msg, trailer, ownsBuffer),
      (err) => {
        const driver = `${this.options.driverHost}:${this.options.driverPort}`;
        const me = `executor ${this.executorId || '(unregistered)'}`;
        this.log(err ? `${me}: lost the driver at ${driver}: ${err.message}` : `${me}: the driver at ${driver} is gone (it closed the connection); exiting`);
        void this.finish(err ? 1 : 0);
      },
    );
    // The block server listens where this executor reaches the driver from: an address
    // its peers can reach too.
    this.blockServer
      .listen(socket.localAddress ?? '127.0.0.1')
      .then(({ host, port }) => {
        this.rpc!.send({
          registerExecutor: {
            executorId: this.options.executorId ?? '',
            host: hostname(),
            cores: this.options.cores,
            pid: process.pid,
            blockHost: host,
            blockPort: port,
            sluiceVersion: SLUICE_VERSION,
          },
        });
      })
      .catch((err: Error) => {
        this.log(`executor: could not start its block server: ${err.message}`);
        void this.finish(1);
      });
  }

  private bundleWaiter: ((reply: { msg: JobBundle; trailer: Buffer }) => void) | null = null;

  /**
   * The file to load the job from: the shipped bundle (from this host's cache, or asked
   * of the driver and cached), or, from a driver that ships none, the job module's path.
   */
  private async jobFile(reg: ExecutorRegistered): Promise<string> {
    if (!reg.bundleHash) return isAbsolute(reg.jobModule) ? reg.jobModule : resolve(reg.jobModule);
    checkExternals(JSON.parse(reg.bundleExternalsJson || '[]') as BundleExternal[]);
    const cached = cachedBundle(reg.bundleHash);
    if (cached) return cached;
    const reply = await new Promise<{ msg: JobBundle; trailer: Buffer }>((resolve) => {
      this.bundleWaiter = resolve;
      this.rpc!.send({ fetchJobBundle: { hash: reg.bundleHash! } });
    });
    if (reply.msg.error) throw new Error(`the driver could not send the job bundle: ${reply.msg.error}`);
    const file = storeBundle(reg.bundleHash, reply.trailer);
    this.log(`executor ${reg.executorId}: received the job bundle ${reg.bundleHash.slice(0, 12)} (${reply.trailer.length} bytes), cached as ${file}`);
    return file;
  }

  private async onMessage(msg: Envelope, trailer: Buffer, ownsBuffer = false): Promise<void> {
    if (msg.executorRegistered) return this.onRegistered(msg.executorRegistered);
    if (msg.jobBundle) {
      this.bundleWaiter?.({ msg: msg.jobBundle, trailer });
      this.bundleWaiter = null;
      return;
    }
    if (msg.registerRejected) {
      this.log(`executor rejected by the driver: ${msg.registerRejected.reason}`);
      return this.finish(1);
    }
    if (msg.launchTask) {
      this.queued.push({ message: msg.launchTask, trailer, ownsBuffer });
      return this.drain();
    }
    if (msg.killTask) return this.kill(msg.killTask.taskId, msg.killTask.reason || 'the driver killed it');
    if (msg.batchDone) {
      this.shuffleStore.removeBatchesUpTo(msg.batchDone.cachedUpTo);
      return this.threads?.batchDone(msg.batchDone.batchTime, msg.batchDone.cachedUpTo);
    }
    if (msg.startReceiver) {
      if (!this.receivers) return this.log(`executor ${this.executorId}: the driver asked for receiver ${msg.startReceiver.streamId}, but receivers run on the driver (receiverPlacement 'driver')`);
      return this.receivers.start(msg.startReceiver.streamId, msg.startReceiver.replication);
    }
    if (msg.updateReceiverRate) return this.receivers?.updateRate(msg.updateReceiverRate.streamId, msg.updateReceiverRate.recordsPerSecond);
    if (msg.stopReceiver) return this.receivers?.stop(msg.stopReceiver.streamId, msg.stopReceiver.reason);
    if (msg.removeBlocks) {
      for (const id of msg.removeBlocks.blockIds) this.blockStore.remove(id);
      return;
    }
    if (msg.shutdown) {
      // Running tasks are killed, not waited for: the driver is done with them.
      await Promise.all([this.receivers?.stopAll('the driver is shutting down'), this.threads?.close('the executor is stopping')]);
      if (this.options.announce) this.log(`executor ${this.executorId}: the driver stopped; exiting`);
      return this.finish(0);
    }
  }

  private async onRegistered(reg: ExecutorRegistered): Promise<void> {
    traceStartup('executor: registered');
    this.executorId = reg.executorId;
    try {
      const conf = JSON.parse(reg.confJson) as StreamingConf;
      // Before the job module loads here or in the task threads (which share or copy this environment).
      Object.assign(process.env, executorEnvOf(reg.confJson));
      this.fetcher = new ShuffleFetcher(reg.executorId, this.shuffleStore, conf.executorTimeoutMs, this.options.secret);
      const setup = { jobModule: await this.jobFile(reg), jobArgs: reg.jobArgs, confJson: reg.confJson };
      const cores = this.options.cores;
      const threadSetup = { ...setup, executorId: reg.executorId, cacheBytes: Math.floor(conf.blockManagerMemoryBytes / cores) };
      // The task threads build the graph to replay lineages. This thread builds its own
      // copy only to run receivers, so only when the driver may place them here: the job
      // and the whole engine are then loaded while the task threads load theirs.
      const [receivers, signature] = await Promise.all([
        conf.receiverPlacement === 'executor' ? this.loadReceivers(setup, reg.executorId) : null,
        this.threads!.start(threadSetup),
      ]);
      if (receivers && signature !== receivers.signature) throw new Error('the task threads built a different DStream graph than the executor\'s main thread');
      this.receivers = receivers?.receivers ?? null;
      this.rpc?.send({ executorReady: { ok: true, error: '', graphSignature: signature } });
      traceStartup('executor: ready');
      if (this.options.announce) {
        this.log(
          `executor ${reg.executorId}: connected to the driver at ${this.options.driverHost}:${this.options.driverPort} ` +
            `(${this.options.cores} core${this.options.cores === 1 ? '' : 's'}); running its tasks until it stops`,
        );
      }
    } catch (err) {
      const reason = (err as Error)?.message?.startsWith('could not load the job module')
        ? (err as Error).message
        : `could not load the job module ${reg.jobModule}: ${(err as Error)?.stack ?? String(err)}`;
      this.rpc?.send({ executorReady: { ok: false, error: reason, graphSignature: '' } });
      // Let the message reach the driver before the connection closes.
      setTimeout(() => void this.finish(1), 200);
      return;
    }
    this.heartbeat = setInterval(() => {
      const running = this.threads?.running() ?? [];
      this.rpc?.send({
        heartbeat: { runningTasks: running.length, rssMb: process.memoryUsage.rss() / 1048576, running },
      });
    }, HEARTBEAT_MS);
    this.drain();
  }

  /** The job's graph on this thread, for the receivers the driver places here. */
  private async loadReceivers(setup: JobSetup, executorId: string): Promise<{ receivers: ExecutorReceivers; signature: string }> {
    const [{ loadJob }, { ExecutorReceivers }] = await Promise.all([import('./job-loader.js'), import('./executor-receivers.js')]);
    const ssc = await loadJob(setup, this.log);
    return { receivers: new ExecutorReceivers(ssc.graph, ssc.conf, this.blockStore, this.rpc!, executorId, this.log), signature: ssc.graph.signature() };
  }

  private drain(): void {
    while (this.threads && this.queued.length > 0) {
      const free = this.threads.claim();
      if (!free) return;
      const task = this.queued.shift()!;
      this.active.set(task.message.taskId, { killed: null });
      void this.run(task, free.thread, free.index).finally(() => {
        this.active.delete(task.message.taskId);
        this.threads?.release(free.thread);
        this.drain();
      });
    }
  }

  /** KillTask: a queued task is dropped, a running one stopped with its thread. */
  private kill(taskId: number, reason: string): void {
    const queuedAt = this.queued.findIndex((t) => t.message.taskId === taskId);
    if (queuedAt >= 0) {
      this.queued.splice(queuedAt, 1);
      this.sendKilled(taskId, performance.now(), reason);
      return;
    }
    const state = this.active.get(taskId);
    if (!state || state.killed) return;
    state.killed = reason;
    // Still fetching its input: run() sees `killed` before it starts the task.
    const running = this.threads?.find(taskId);
    if (running) void this.threads!.replace(running.index, reason);
  }

  private async run(
    { message: msg, trailer, ownsBuffer }: { message: LaunchTask; trailer: Buffer; ownsBuffer: boolean },
    thread: TaskThread,
    index: number,
  ): Promise<void> {
    const started = performance.now();
    const fetched = { local: 0, remote: 0 };
    const state = this.active.get(msg.taskId)!;
    let outcome: TaskThreadOutcome;
    try {
      // A reduce task's buckets are fetched here, before it runs, from wherever they are kept.
      const shuffleData: [string, Uint8Array[]][] = [];
      for (const input of msg.shuffleInputs) {
        const buckets = await this.fetcher!.fetch(input.shuffleId, input.reducePartition, input.maps, fetched);
        shuffleData.push([input.shuffleId, buckets.map(ownCopy)]);
      }
      if (state.killed) return this.sendKilled(msg.taskId, started, state.killed);
      const localBlocks = this.localBlocksOf(msg);
      // The task's bytes go to the thread in buffers of their own, moved rather than copied
      // again. A large task frame was read into a buffer of its own: it moves as it is (the
      // message is re-encoded first; afterwards only its scalar fields are read). A small
      // one shares its buffer with other frames and is copied once.
      const envelope = new Uint8Array(encodeEnvelope({ launchTask: msg }));
      const ownTrailer = ownsBuffer ? trailer : new Uint8Array(trailer);
      const transfer = [envelope.buffer, ownTrailer.buffer, ...shuffleData.flatMap(([, b]) => b.map((x) => x.buffer)), ...localBlocks.flatMap(buffersOf)];
      outcome = await thread.run(
        { type: 'run', taskId: msg.taskId, attempt: msg.attempt, envelope, trailer: ownTrailer, localBlocks, shuffleData },
        transfer.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer && b.byteLength > 0),
      );
    } catch (err) {
      if (err instanceof TaskThreadGone) {
        if (err.killed) return this.sendKilled(msg.taskId, started, state.killed ?? err.message);
        void this.threads?.replace(index, err.message);
      }
      const error = err instanceof Error ? err : new Error(String(err));
      outcome = {
        taskId: msg.taskId,
        ok: false,
        errorMessage: `${error.name}: ${error.message}`,
        errorStack: error.stack ?? '',
        fetchFailed: error instanceof FetchFailedError ? { shuffleId: error.shuffleId, mapPartition: error.mapPartition, executorId: error.executorId } : null,
        recordsRead: 0,
        cacheAdded: [],
        cacheRemoved: [],
      };
    }
    this.threads?.cache.report(index, outcome.cacheAdded, outcome.cacheRemoved);
    if (outcome.ok) {
      if (msg.shuffleId) this.shuffleStore.put(msg.shuffleId, msg.partition, outcome.shuffleBuckets);
      this.rpc?.send({
        taskFinished: {
          ...this.report(msg.taskId, started, outcome.recordsRead, fetched),
          ok: true,
          result: outcome.result,
          hasMapOutput: msg.shuffleId !== '',
          mapOutputSizes: outcome.shuffleBuckets.map((b) => b.byteLength),
        },
      });
    } else {
      this.rpc?.send({
        taskFinished: {
          ...this.report(msg.taskId, started, outcome.recordsRead, fetched),
          ok: false,
          errorMessage: outcome.errorMessage,
          errorStack: outcome.errorStack,
          fetchFailed: outcome.fetchFailed,
        },
      });
    }
  }

  /** The blocks of this executor's block store that a task reads (sent as `local`), as copies for its thread. */
  private localBlocksOf(msg: LaunchTask): ShippedBlock[] {
    const out: ShippedBlock[] = [];
    for (const ip of msg.inputPartitions) {
      for (const b of ip.blocks) {
        if (!b.local) continue;
        const stored = this.blockStore.get(b.blockId);
        if (!stored) throw new Error(`block ${b.blockId} is not in the block store of executor ${this.executorId}`);
        out.push({
          blockId: stored.blockId,
          encoding: stored.encoding,
          count: stored.count,
          byteLength: stored.byteLength,
          segments: stored.segments?.map(ownCopy) ?? null,
          offsets: stored.offsets ? stored.offsets.slice() : null,
        });
      }
    }
    return out;
  }

  private sendKilled(taskId: number, started: number, reason: string): void {
    this.rpc?.send({
      taskFinished: {
        ...this.report(taskId, started, 0, { local: 0, remote: 0 }),
        ok: false,
        errorMessage: `TaskKilled: task ${taskId} was killed on executor ${this.executorId}: ${reason}`,
        errorStack: '',
        killed: true,
      },
    });
  }

  /** The fields of TaskFinished every outcome has; takes the pending cache changes. */
  private report(taskId: number, started: number, recordsRead: number, fetched: { local: number; remote: number }) {
    const cache = this.threads?.cache.take() ?? { added: [], removed: [] };
    return {
      taskId,
      ok: false,
      result: new Uint8Array(0),
      errorMessage: '',
      errorStack: '',
      runMs: performance.now() - started,
      recordsRead,
      hasMapOutput: false,
      mapOutputSizes: [] as number[],
      fetchFailed: null,
      cacheAdded: cache.added,
      cacheRemoved: cache.removed,
      shuffleBytesLocal: fetched.local,
      shuffleBytesRemote: fetched.remote,
      killed: false,
    };
  }

  private async finish(code: number): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.blockServer.close();
    this.fetcher?.close();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.rpc?.socket.destroy();
    await this.threads?.close('the executor is stopping');
    this.done(code);
  }
}

/** A copy of `view` in a buffer of its own, which can move to a task thread. */
function ownCopy(view: Uint8Array): Uint8Array {
  return new Uint8Array(view);
}

function buffersOf(block: ShippedBlock): ArrayBufferLike[] {
  return [...(block.segments ?? []).map((s) => s.buffer), ...(block.offsets ? [block.offsets.buffer] : [])];
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
