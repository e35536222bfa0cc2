import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { connect as tlsConnect } from 'node:tls';
import {
  authenticateClient,
  RpcConnection,
  type Envelope,
  type ExecutorRegistered,
  type JobBundle,
  type LaunchTask,
} from '@sluice/protocol';
import {
  confAsInput,
  FetchFailedError,
  ShuffleOutputStore,
  type CachedPartitionId,
  LineageReplayer,
  PartitionCache,
  runTask,
  StreamingContext,
  type StreamingConf,
  type StreamingJob,
} from '@sluice/streaming';
import { BlockServer } from './block-server';
import { BlockStore } from './block-store';
import { ExecutorReceivers } from './executor-receivers';
import { ExecutorTaskEnv } from './executor-task-env';
import { ShuffleFetcher } from './shuffle-fetcher';
import { fromLaunchTask } from './task-codec';
import type { BundleExternal } from './job-bundle';
import { cachedBundle, checkExternals, storeBundle } from './job-cache';
import { SLUICE_VERSION } from './sluice-version';

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
}

const HEARTBEAT_MS = 2000;

/**
 * An executor: connects to the driver, loads the application's job module (as a Spark
 * executor loads the application jar), rebuilds its DStream graph on an inert context,
 * and runs up to `cores` tasks at a time. The same program serves local executors
 * started by the driver and remote ones started by hand with the driver's address.
 */
export class Executor {
  private rpc: RpcConnection | null = null;
  private replayer: LineageReplayer | null = null;
  private receivers: ExecutorReceivers | null = null;
  private readonly blockStore = new BlockStore();
  /** Partitions of persisted RDDs (sized from the conf once registered). */
  private partitionCache = new PartitionCache({ maxBytes: 0 });
  /** Changes to the cache not yet reported to the driver (they go with the next TaskFinished). */
  private cacheAdded: CachedPartitionId[] = [];
  private cacheRemoved: CachedPartitionId[] = [];
  /** Shuffle map outputs written here, served to peers by the block server. */
  private readonly shuffleStore = new ShuffleOutputStore();
  private readonly blockServer: BlockServer;
  private fetcher: ShuffleFetcher | null = null;
  private executorId = '';
  private running = 0;
  private readonly queued: { message: LaunchTask; trailer: Buffer }[] = [];
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly log: (line: string) => void;
  private done!: (code: number) => void;
  readonly exited = new Promise<number>((r) => (this.done = r));

  constructor(private readonly options: ExecutorOptions) {
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.blockServer = new BlockServer(this.shuffleStore, options.secret, this.log);
  }

  start(): Promise<number> {
    const { driverHost: host, driverPort: port, tls } = this.options;
    const socket: Socket = tls ? tlsConnect({ host, port, ca: tls.ca, servername: isIp(host) ? undefined : host }) : connect({ host, port });
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      authenticateClient(socket, this.options.secret).then(
        () => this.connected(socket),
        (err: Error) => {
          this.log(`executor: could not authenticate to the driver at ${host}:${port}: ${err.message}`);
          socket.destroy();
          this.finish(1);
        },
      );
    });
    socket.once('error', (err) => {
      if (this.rpc) return; // the connection reports it
      this.log(`executor: cannot reach the driver at ${host}:${port}: ${err.message}`);
      this.finish(1);
    });
    return this.exited;
  }

  private connected(socket: Socket): void {
    this.rpc = new RpcConnection(
      socket,
      (msg, trailer) => void this.onMessage(msg, trailer),
      (err) => {
        const driver = `${this.options.driverHost}:${this.options.driverPort}`;
        const me = `executor ${this.executorId || '(unregistered)'}`;
        this.log(err ? `${me}: lost the driver at ${driver}: ${err.message}` : `${me}: the driver at ${driver} is gone (it closed the connection); exiting`);
        this.finish(err ? 1 : 0);
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
        this.finish(1);
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

  private async onMessage(msg: Envelope, trailer: Buffer): Promise<void> {
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
      this.queued.push({ message: msg.launchTask, trailer });
      return this.drain();
    }
    if (msg.batchDone) {
      this.partitionCache.removeBatchesUpTo(msg.batchDone.cachedUpTo);
      this.shuffleStore.removeBatchesUpTo(msg.batchDone.cachedUpTo);
      return this.replayer?.forgetBatch(msg.batchDone.batchTime);
    }
    if (msg.startReceiver) return this.receivers?.start(msg.startReceiver.streamId, msg.startReceiver.replication);
    if (msg.updateReceiverRate) return this.receivers?.updateRate(msg.updateReceiverRate.streamId, msg.updateReceiverRate.recordsPerSecond);
    if (msg.stopReceiver) return this.receivers?.stop(msg.stopReceiver.streamId, msg.stopReceiver.reason);
    if (msg.removeBlocks) {
      for (const id of msg.removeBlocks.blockIds) this.blockStore.remove(id);
      return;
    }
    if (msg.shutdown) {
      await this.receivers?.stopAll('the driver is shutting down');
      if (this.options.announce) this.log(`executor ${this.executorId}: the driver stopped; exiting`);
      return this.finish(0);
    }
  }

  private async onRegistered(reg: ExecutorRegistered): Promise<void> {
    this.executorId = reg.executorId;
    try {
      const conf = JSON.parse(reg.confJson) as StreamingConf;
      this.partitionCache = new PartitionCache({
        maxBytes: conf.blockManagerMemoryBytes,
        onEvicted: (evicted) => this.cacheRemoved.push(...evicted),
      });
      this.fetcher = new ShuffleFetcher(reg.executorId, this.shuffleStore, conf.executorTimeoutMs, this.options.secret);
      const ssc = new StreamingContext(confAsInput(conf), { mode: 'executor', log: this.log });
      const modulePath = await this.jobFile(reg);
      const mod = (await import(pathToFileURL(modulePath).href)) as { default?: unknown; job?: unknown };
      const job = (mod.default ?? mod.job) as StreamingJob | undefined;
      if (typeof job !== 'function') throw new Error(`${reg.jobModule} does not export a job function`);
      await job(ssc, reg.jobArgs);
      if (ssc.state === 'initialized') await ssc.start();
      this.replayer = new LineageReplayer(ssc.graph);
      this.receivers = new ExecutorReceivers(ssc.graph, ssc.conf, this.blockStore, this.rpc!, reg.executorId, this.log);
      this.rpc?.send({ executorReady: { ok: true, error: '', graphSignature: ssc.graph.signature() } });
      if (this.options.announce) {
        this.log(
          `executor ${reg.executorId}: connected to the driver at ${this.options.driverHost}:${this.options.driverPort} ` +
            `(${this.options.cores} core${this.options.cores === 1 ? '' : 's'}); running its tasks until it stops`,
        );
      }
    } catch (err) {
      const reason = `could not load the job module ${reg.jobModule}: ${(err as Error)?.stack ?? String(err)}`;
      this.rpc?.send({ executorReady: { ok: false, error: reason, graphSignature: '' } });
      // Let the message reach the driver before the connection closes.
      setTimeout(() => this.finish(1), 200);
      return;
    }
    this.heartbeat = setInterval(() => {
      this.rpc?.send({
        heartbeat: { sentAtMs: Date.now(), runningTasks: this.running, rssMb: process.memoryUsage.rss() / 1048576 },
      });
    }, HEARTBEAT_MS);
    this.drain();
  }

  private drain(): void {
    while (this.replayer && this.running < this.options.cores && this.queued.length > 0) {
      const task = this.queued.shift()!;
      this.running++;
      void this.run(task).finally(() => {
        this.running--;
        this.drain();
      });
    }
  }

  private async run({ message: msg, trailer }: { message: LaunchTask; trailer: Buffer }): Promise<void> {
    const started = performance.now();
    const spec = fromLaunchTask(msg, trailer);
    const fetched = { local: 0, remote: 0 };
    let env: ExecutorTaskEnv | null = null;
    try {
      // A reduce task's buckets are fetched before it runs, from wherever they are kept.
      const shuffleData = new Map<string, Uint8Array[]>();
      for (const input of spec.shuffleInputs) {
        shuffleData.set(input.shuffleId, await this.fetcher!.fetch(input.shuffleId, input.reducePartition, input.maps, fetched));
      }
      env = new ExecutorTaskEnv(spec, msg.attempt, this.executorId, this.blockStore, this.partitionCache, shuffleData, (p) =>
        this.cacheAdded.push(p),
      );
      const out = await runTask(this.replayer!, spec, env);
      if (spec.shuffleId) this.shuffleStore.put(spec.shuffleId, spec.partition, out.shuffleBuckets);
      this.rpc?.send({
        taskFinished: {
          ...this.report(msg.taskId, started, env, fetched),
          ok: true,
          result: out.result,
          hasMapOutput: spec.shuffleId !== '',
          mapOutputSizes: out.shuffleBuckets.map((b) => b.byteLength),
        },
      });
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.rpc?.send({
        taskFinished: {
          ...this.report(msg.taskId, started, env, fetched),
          ok: false,
          errorMessage: `${error.name}: ${error.message}`,
          errorStack: error.stack ?? '',
          fetchFailed:
            error instanceof FetchFailedError
              ? { shuffleId: error.shuffleId, mapPartition: error.mapPartition, executorId: error.executorId }
              : null,
        },
      });
    }
  }

  /** The fields of TaskFinished every outcome has; takes the pending cache changes. */
  private report(taskId: number, started: number, env: ExecutorTaskEnv | null, fetched: { local: number; remote: number }) {
    const added = this.cacheAdded;
    const removed = this.cacheRemoved;
    this.cacheAdded = [];
    this.cacheRemoved = [];
    return {
      taskId,
      ok: false,
      result: new Uint8Array(0),
      errorMessage: '',
      errorStack: '',
      runMs: performance.now() - started,
      recordsRead: env?.recordsRead ?? 0,
      hasMapOutput: false,
      mapOutputSizes: [] as number[],
      fetchFailed: null,
      cacheAdded: added,
      cacheRemoved: removed,
      shuffleBytesLocal: fetched.local,
      shuffleBytesRemote: fetched.remote,
    };
  }

  private finish(code: number): void {
    this.blockServer.close();
    this.fetcher?.close();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.rpc?.socket.destroy();
    this.done(code);
  }
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
