import { connect } from 'node:net';
import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RpcConnection, type Envelope, type ExecutorRegistered, type LaunchTask } from '@sluice/protocol';
import {
  confAsInput,
  LineageReplayer,
  PartitionCache,
  runTask,
  StreamingContext,
  type StreamingConf,
  type StreamingJob,
} from '@sluice/streaming';
import { BlockStore } from './block-store';
import { ExecutorReceivers } from './executor-receivers';
import { ExecutorTaskEnv } from './executor-task-env';
import { fromLaunchTask } from './task-codec';

export interface ExecutorOptions {
  driverHost: string;
  driverPort: number;
  cores: number;
  executorId?: string;
  log?: (line: string) => void;
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
  private executorId = '';
  private running = 0;
  private readonly queued: { message: LaunchTask; trailer: Buffer }[] = [];
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly log: (line: string) => void;
  private done!: (code: number) => void;
  readonly exited = new Promise<number>((r) => (this.done = r));

  constructor(private readonly options: ExecutorOptions) {
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  start(): Promise<number> {
    const socket = connect({ host: this.options.driverHost, port: this.options.driverPort });
    socket.on('connect', () => {
      this.rpc!.send({
        registerExecutor: {
          executorId: this.options.executorId ?? '',
          host: hostname(),
          cores: this.options.cores,
          pid: process.pid,
        },
      });
    });
    this.rpc = new RpcConnection(
      socket,
      (msg, trailer) => void this.onMessage(msg, trailer),
      (err) => {
        this.log(`executor ${this.executorId || '(unregistered)'}: lost the driver at ${this.options.driverHost}:${this.options.driverPort}${err ? `: ${err.message}` : ''}`);
        this.finish(err ? 1 : 0);
      },
    );
    return this.exited;
  }

  private async onMessage(msg: Envelope, trailer: Buffer): Promise<void> {
    if (msg.executorRegistered) return this.onRegistered(msg.executorRegistered);
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
      return this.replayer?.forgetBatch(msg.batchDone.batchTime);
    }
    if (msg.startReceiver) return this.receivers?.start(msg.startReceiver.streamId, msg.startReceiver.replication);
    if (msg.stopReceiver) return this.receivers?.stop(msg.stopReceiver.streamId, msg.stopReceiver.reason);
    if (msg.removeBlocks) {
      for (const id of msg.removeBlocks.blockIds) this.blockStore.remove(id);
      return;
    }
    if (msg.shutdown) {
      await this.receivers?.stopAll('the driver is shutting down');
      return this.finish(0);
    }
  }

  private async onRegistered(reg: ExecutorRegistered): Promise<void> {
    this.executorId = reg.executorId;
    try {
      const conf = JSON.parse(reg.confJson) as StreamingConf;
      this.partitionCache = new PartitionCache({ maxBytes: conf.blockManagerMemoryBytes });
      const ssc = new StreamingContext(confAsInput(conf), { mode: 'executor', log: this.log });
      const modulePath = isAbsolute(reg.jobModule) ? reg.jobModule : resolve(reg.jobModule);
      const mod = (await import(pathToFileURL(modulePath).href)) as { default?: unknown; job?: unknown };
      const job = (mod.default ?? mod.job) as StreamingJob | undefined;
      if (typeof job !== 'function') throw new Error(`${reg.jobModule} does not export a job function`);
      await job(ssc, reg.jobArgs);
      if (ssc.state === 'initialized') await ssc.start();
      this.replayer = new LineageReplayer(ssc.graph);
      this.receivers = new ExecutorReceivers(ssc.graph, ssc.conf, this.blockStore, this.rpc!, reg.executorId, this.log);
      this.rpc?.send({ executorReady: { ok: true, error: '', graphSignature: ssc.graph.signature() } });
    } catch (err) {
      const reason = `could not load the job module ${reg.jobModule}: ${(err as Error)?.stack ?? err}`;
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
    const env = new ExecutorTaskEnv(spec, msg.attempt, this.executorId, this.blockStore, this.partitionCache);
    try {
      const out = await runTask(this.replayer!, spec, env);
      this.rpc?.send({
        taskFinished: {
          taskId: msg.taskId,
          ok: true,
          result: out.result,
          shuffleBuckets: out.shuffleBuckets,
          errorMessage: '',
          errorStack: '',
          runMs: performance.now() - started,
          recordsRead: env.recordsRead,
        },
      });
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.rpc?.send({
        taskFinished: {
          taskId: msg.taskId,
          ok: false,
          result: new Uint8Array(0),
          shuffleBuckets: [],
          errorMessage: `${error.name}: ${error.message}`,
          errorStack: error.stack ?? '',
          runMs: performance.now() - started,
          recordsRead: env.recordsRead,
        },
      });
    }
  }

  private finish(code: number): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.rpc?.socket.destroy();
    this.done(code);
  }
}
