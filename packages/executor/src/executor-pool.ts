import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Subject } from 'rxjs';
import { authenticateServer, generateSecret, RpcConnection, type Envelope, type TaskFinished } from '@sluice/protocol';
import {
  diffGraphSignatures,
  type ApplicationInfo,
  type ExecutorEvent,
  type StreamingConf,
  type TaskBackend,
  type TaskOutcome,
  type TaskSpec,
} from '@sluice/streaming/internal';
import { launchLocalExecutor, type LocalExecutorProcess } from './local-executor-launcher.js';
import type { ExecutorWarmUp } from './warm-up.js';
import type { ExecutorLauncher, LaunchedExecutor } from './executor-launcher.js';
import { ReceiverPlacement } from './receiver-placement.js';
import { toLaunchTask } from './task-codec.js';
import { placeTask } from './task-placement.js';
import { bundleJob, type JobBundle } from './job-bundle.js';
import { SLUICE_VERSION } from './sluice-version.js';
import { signatureAsBundled } from './signature-as-bundled.js';

interface ExecutorHandle {
  id: string;
  host: string;
  cores: number;
  rpc: RpcConnection;
  running: Set<number>;
  /** Job module loaded; only ready executors get tasks. */
  ready: boolean;
  lastSeen: number;
  local: LocalExecutorProcess | null;
  /** Started by the launcher (a pod), when there is one. */
  launched: LaunchedExecutor | null;
  /** host:port of its block server, where peers fetch the map outputs it keeps. */
  blockAddress: string;
}

interface PendingTask {
  taskId: number;
  spec: TaskSpec;
  attempt: number;
  resolve: (outcome: TaskOutcome) => void;
  executorId: string | null;
  /** When it (last) joined the queue: the start of its locality wait. */
  queuedAt: number;
  /** Reported as stuck already (stuckTaskTimeout): once per attempt is enough. */
  stuckReported: boolean;
}

export interface ExecutorPoolOptions {
  log?: (line: string) => void;
  /** How long start() waits for the executors to register. */
  registrationTimeoutMs?: number;
  /**
   * The shared secret executors must prove they know (challenge-response, see
   * @sluice/protocol's handshake). Default: one generated for this application, which the
   * local executors get; remote executors need one given here and to them.
   */
  secret?: Uint8Array;
  /** Serve executors over TLS with this certificate and key (PEM files). */
  tls?: { certFile: string; keyFile: string };
  /**
   * Starts the executors through a cluster manager (Kubernetes pods) instead of as child
   * processes; replaced when they fail, ended on stop, as local ones are.
   */
  launcher?: ExecutorLauncher;
  /**
   * Run by each local executor's task threads as they start, before the job reaches them
   * (the application's slow start-up work, e.g. loading a model; see ExecutorWarmUp).
   */
  warmUp?: ExecutorWarmUp;
}

/**
 * The driver's side of the executors: listens for them, starts the local ones as child
 * processes, hands tasks to free cores, and deals with loss.
 *
 * A task lost with its executor (process died, connection dropped, heartbeats stopped)
 * is run again elsewhere, up to taskMaxFailures attempts; a task whose user code threw is
 * not retried (it would throw again) and fails its job at once. Local executors that die
 * are started again. If no executor is left and none is coming, tasks fail with a clear
 * error instead of waiting forever.
 */
export class ExecutorPool implements TaskBackend {
  private server: Server | null = null;
  private conf!: StreamingConf;
  private app: ApplicationInfo | null = null;
  /** launchEarly(): the job module it was for, its bundle and its executors, under way. */
  private early: { jobModule: string; bundling: Promise<JobBundle>; listening: Promise<void> } | null = null;
  /** Executors that registered before start(app): answered once the application is known. */
  private readonly earlyRegistrations: { socket: Socket; answer: () => void }[] = [];
  private readonly executors = new Map<string, ExecutorHandle>();
  private readonly launching = new Map<string, LocalExecutorProcess>();
  /** Started through the launcher, not registered yet. */
  private readonly launchingRemote = new Map<string, LaunchedExecutor>();
  private readonly queue: PendingTask[] = [];
  private readonly inFlight = new Map<number, PendingTask>();
  private nextTaskId = 1;
  private nextExecutorId = 0;
  private restarts = 0;
  private stopping = false;
  /** Set when the job module cannot load on an executor: restarting would not help. */
  private fatalError: string | null = null;
  /** An executor was refused for a different graph: restarting would repeat it. */
  private graphRefused = false;
  private driverSignature = '';
  private driverSignatureAsBundled: string | null = null;
  private monitor: NodeJS.Timeout | null = null;
  private localityTimer: NodeJS.Timeout | null = null;
  private readonly events = new Subject<ExecutorEvent>();
  readonly events$ = this.events.asObservable();
  private readonly log: (line: string) => void;
  private readonly secret: Uint8Array;
  private readonly secretGenerated: boolean;
  private bundle: JobBundle | null = null;
  private bundling: Promise<JobBundle> | null = null;
  /** Connections dropped because they did not authenticate (wrong secret, no handshake). */
  refusedConnections = 0;

  /**
   * Shuffle bytes reduce tasks read, as their executors reported: from their own map
   * outputs, and fetched from peer executors. No shuffle byte passes through the driver:
   * task results carry only bucket sizes, and tasks only map output locations.
   */
  readonly shuffleStats = { bytesReadLocally: 0, bytesFetchedFromPeers: 0 };

  /** Receivers placed on executors (receiverPlacement 'executor'). */
  readonly receiverHost: ReceiverPlacement;

  /** Tasks submitted while the executors start wait in the queue for them. */
  readonly queuesTasksBeforeStart = true;

  constructor(private readonly options: ExecutorPoolOptions = {}) {
    this.log = options.log ?? ((line) => process.stderr.write(`sluice: ${line}\n`));
    this.secretGenerated = options.secret === undefined;
    this.secret = options.secret ?? generateSecret();
    this.receiverHost = new ReceiverPlacement(() => [...this.executors.values()], this.log);
  }

  get totalCores(): number {
    let n = 0;
    for (const e of this.executors.values()) n += e.cores;
    return n;
  }

  get address(): { host: string; port: number } {
    const a = this.server!.address() as AddressInfo;
    return { host: this.conf.driverHost, port: a.port };
  }

  get executorIds(): string[] {
    return [...this.executors.keys()];
  }

  /** Process ids of the local executors, for tools and tests that kill them. */
  get localExecutorPids(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.executors.values()) if (e.local?.child.pid) out[e.id] = e.local.child.pid;
    return out;
  }

  /**
   * Starts listening and launches the local executors before the job has built its graph,
   * so that their start-up (a Node process each, loading the engine) runs while the driver
   * loads the job module and reads its checkpoint; sluice submit calls it first. Executors
   * that register before start(app) are answered once the application is known. Errors
   * (a port in use) surface from start().
   */
  launchEarly(conf: StreamingConf, jobModule: string): void {
    if (this.early || this.app) return;
    this.conf = conf;
    const bundling = bundleJob(jobModule);
    const listening = this.listen().then(() => this.launchWanted(bundling));
    this.early = { jobModule, bundling, listening };
    // Awaited by start(); a failure meanwhile must not be an unhandled rejection.
    bundling.catch(() => {});
    listening.catch(() => {});
  }

  async start(app: ApplicationInfo): Promise<void> {
    if (!app.jobModule) {
      throw new Error(
        'executor processes load the job from its module: run the job with `sluice submit <job file>`, ' +
          'or give the StreamingContext a jobModule',
      );
    }
    const early = this.early?.jobModule === app.jobModule ? this.early : null;
    this.conf = JSON.parse(app.confJson) as StreamingConf;
    this.driverSignature = app.graphSignature ?? '';
    if (early) {
      this.bundling = early.bundling;
      await early.listening;
    } else {
      // esbuild bundles the job in a process of its own: the executors start meanwhile, and
      // an executor that registers before the bundle is done is answered when it is.
      this.bundling = bundleJob(app.jobModule);
      void this.bundling.catch(() => undefined);
      await this.listen();
      await this.launchWanted(this.bundling);
    }
    this.app = app;
    for (const { answer } of this.earlyRegistrations.splice(0)) answer();
    // A failed bundle fails the start; the context then stops the pool and its executors.
    this.bundle = await this.bundling;
    await this.waitForExecutors(Math.max(1, this.conf.executors));
    this.monitor = setInterval(() => this.checkHeartbeats(), 1000);
  }

  private async listen(): Promise<void> {
    const tls = this.options.tls;
    this.server = tls
      ? createTlsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, (socket) => this.accept(socket))
      : createServer((socket) => this.accept(socket));
    if (tls) {
      this.server.on('tlsClientError', (err: Error, socket: Socket) => this.refuseConnection(socket, `TLS: ${err.message}`));
    }
    const { driverHost, driverPort } = this.conf;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', (err: NodeJS.ErrnoException) => {
        // A fixed --driver-port that another process holds is the usual cause: say which setting.
        const inUse = err.code === 'EADDRINUSE' ? `: the port is in use (driverPort, --driver-port ${driverPort})` : '';
        reject(inUse ? new Error(`cannot listen for executors on ${driverHost}:${driverPort}${inUse}`, { cause: err }) : err);
      });
      this.server!.listen(driverPort, driverHost, () => resolve());
    });
  }

  /** `bundling`: the job's bundle under way (the pool's own field is not set yet when launched early). */
  private async launchWanted(bundling: Promise<JobBundle>): Promise<void> {
    const { host, port } = this.address;
    const wanted = this.conf.executors;
    if (wanted === 0) {
      // Nothing to start meanwhile: the driver invites executors once it can answer them
      // with the bundle, so the job's files may be gone by the time one registers.
      this.bundle = await bundling;
      const secretHint = this.secretGenerated
        ? ' (they cannot authenticate: this driver generated its secret; give one with --secret-file or SLUICE_SECRET, to the executors too)'
        : ' and the same secret (--secret-file or SLUICE_SECRET)';
      this.log(`waiting for executors: start them with \`sluice executor --driver ${host}:${port}\`${secretHint}`);
    }
    // Stopped while it was getting ready to listen (launchEarly, then a failed start).
    if (this.stopping) return void this.server?.close();
    const launcher = this.options.launcher;
    if (launcher) {
      await launcher.start({ host, port, secret: this.secret, cores: this.conf.executorCores });
      this.log(`starting ${wanted} executor(s) as ${launcher.description}; they connect to ${host}:${port}`);
    }
    for (let i = 0; i < wanted; i++) this.launchExecutor();
  }

  submit(spec: TaskSpec, cancel?: AbortSignal): Promise<TaskOutcome> {
    return new Promise((done) => {
      const onCancel = () => this.cancel(task, String(cancel?.reason ?? 'its job was cancelled'));
      const resolve = (outcome: TaskOutcome) => {
        cancel?.removeEventListener('abort', onCancel);
        done(outcome);
      };
      const task: PendingTask = { taskId: this.nextTaskId++, spec, attempt: 0, resolve, executorId: null, queuedAt: Date.now(), stuckReported: false };
      if (this.stopping) {
        resolve({ ok: false, message: 'the streaming context is stopping', stack: '', executorId: '', lostExecutor: true });
        return;
      }
      if (cancel?.aborted) return onCancel();
      cancel?.addEventListener('abort', onCancel, { once: true });
      this.queue.push(task);
      this.schedule();
    });
  }

  /**
   * The task's job was cancelled: a task still queued here is dropped; a running one is
   * killed on its executor (KillTask), whose report then settles it.
   */
  private cancel(task: PendingTask, reason: string): void {
    const queued = this.queue.indexOf(task);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      task.resolve({ ok: false, message: `TaskKilled: cancelled before it ran: ${reason}`, stack: '', executorId: '', lostExecutor: false });
      return;
    }
    // Neither queued nor running: it has settled already.
    if (!this.inFlight.has(task.taskId)) return;
    this.executors.get(task.executorId ?? '')?.rpc.send({ killTask: { taskId: task.taskId, reason } });
  }

  batchDone(batchTime: number, cachedUpTo: number): void {
    for (const e of this.executors.values()) e.rpc.send({ batchDone: { batchTime, cachedUpTo } });
  }

  /** Idempotent: submit() stops the pool when the job fails to start, which may have stopped it already. */
  stop(): Promise<void> {
    this.stopped ??= this.stopNow();
    return this.stopped;
  }

  private stopped: Promise<void> | null = null;

  private async stopNow(): Promise<void> {
    this.stopping = true;
    if (this.monitor) clearInterval(this.monitor);
    if (this.localityTimer) clearTimeout(this.localityTimer);
    for (const task of [...this.queue, ...this.inFlight.values()]) {
      task.resolve({ ok: false, message: 'the streaming context stopped', stack: '', executorId: task.executorId ?? '', lostExecutor: true });
    }
    this.queue.length = 0;
    this.inFlight.clear();
    const exits: Promise<unknown>[] = [];
    for (const e of this.executors.values()) {
      e.rpc.send({ shutdown: { reason: 'driver stopping' } });
      if (e.local) exits.push(waitForExit(e.local, 3000));
    }
    for (const l of this.launching.values()) exits.push(waitForExit(l, 0));
    await Promise.all(exits);
    for (const e of this.executors.values()) e.rpc.socket.destroy();
    for (const { socket } of this.earlyRegistrations.splice(0)) socket.destroy();
    await this.options.launcher?.stop();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.events.complete();
  }

  // ---- executors -----------------------------------------------------------------------

  private launchExecutor(): void {
    if (this.options.launcher) this.launchThroughLauncher(this.options.launcher);
    else this.launchLocal();
  }

  private launchThroughLauncher(launcher: ExecutorLauncher): void {
    const id = String(this.nextExecutorId++);
    const launched = launcher.launch(id, (reason) => {
      const neverRegistered = this.launchingRemote.delete(id);
      const handle = this.executors.get(id);
      if (handle) this.lose(handle, reason);
      else if (neverRegistered && !this.stopping) this.log(`executor ${id} (${launched.where}) ${reason} before registering`);
      this.maybeRelaunch();
    });
    this.launchingRemote.set(id, launched);
  }

  private launchLocal(): void {
    const id = String(this.nextExecutorId++);
    const { host, port } = this.address;
    const proc = launchLocalExecutor(id, host, port, this.conf.executorCores, this.log, {
      nodeOptions: this.conf.executorNodeOptions,
      secret: this.secret,
      tlsCaFile: this.options.tls?.certFile,
      warmUp: this.options.warmUp,
    });
    this.launching.set(id, proc);
    proc.child.on('exit', (code, signal) => {
      // Still "launching" at exit: it never registered. Otherwise its loss may already
      // have been handled when its connection closed, just before the exit.
      const neverRegistered = this.launching.delete(id);
      const handle = this.executors.get(id);
      const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
      if (handle) this.lose(handle, `executor process ${how}`);
      else if (neverRegistered && !this.stopping) this.log(`executor ${id} ${how} before registering${tailOf(proc)}`);
      this.maybeRelaunch();
    });
  }

  private maybeRelaunch(): void {
    if (this.stopping || this.fatalError || this.graphRefused || this.conf.executors === 0) return;
    const alive = this.executors.size + this.launching.size + this.launchingRemote.size;
    if (alive >= this.conf.executors) return;
    if (this.restarts >= this.conf.maxExecutorRestarts) {
      if (alive === 0) this.failEverything('all executors are dead and the restart limit is reached');
      return;
    }
    this.restarts++;
    this.log(`starting a replacement executor (${this.restarts} of at most ${this.conf.maxExecutorRestarts})`);
    this.launchExecutor();
  }

  /**
   * A new connection must authenticate before anything is read from it as a message or
   * sent to it (the job bundle, tasks); one that does not is dropped and counted.
   */
  private accept(socket: Socket): void {
    socket.on('error', () => {}); // reported by the handshake or the connection
    const from = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    authenticateServer(socket, this.secret).then(
      () => this.attach(socket),
      (err: Error) => this.refuseConnection(socket, err.message, from),
    );
  }

  private refuseConnection(socket: Socket, reason: string, from = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`): void {
    this.refusedConnections++;
    this.log(
      `refused a connection from ${from}: ${reason} ` +
        `(${this.refusedConnections} unauthenticated connection(s) refused so far)`,
    );
    socket.destroy();
  }

  private attach(socket: Socket): void {
    let handle: ExecutorHandle | null = null;
    const rpc = new RpcConnection(
      socket,
      (msg, trailer) => {
        if (msg.registerExecutor) {
          const reg = msg.registerExecutor;
          if (this.app) handle = this.register(rpc, reg);
          else this.earlyRegistrations.push({ socket, answer: () => (handle = socket.destroyed ? null : this.register(rpc, reg)) });
        }
        else if (handle) this.onMessage(handle, msg, trailer);
      },
      (err) => {
        if (handle) this.lose(handle, `connection lost${err ? `: ${err.message}` : ''}`);
      },
    );
  }

  private register(rpc: RpcConnection, reg: NonNullable<Envelope['registerExecutor']>): ExecutorHandle | null {
    if (this.stopping) {
      rpc.send({ registerRejected: { reason: 'the driver is stopping' } });
      return null;
    }
    const theirs = reg.sluiceVersion || 'unknown (older than 0.1.0)';
    if (theirs !== SLUICE_VERSION) {
      const reason = `executor runs Sluice ${theirs} but the driver runs Sluice ${SLUICE_VERSION}: install the same version on both`;
      this.log(`refused executor ${reg.executorId || `at ${reg.host}`}: ${reason}`);
      rpc.send({ registerRejected: { reason } });
      return null;
    }
    let id = reg.executorId;
    if (!id || this.executors.has(id)) id = `remote-${this.nextExecutorId++}`;
    const local = this.launching.get(id) ?? null;
    this.launching.delete(id);
    const launched = this.launchingRemote.get(id) ?? null;
    this.launchingRemote.delete(id);
    const handle: ExecutorHandle = {
      id,
      host: reg.host,
      cores: Math.max(1, reg.cores),
      rpc,
      running: new Set(),
      ready: false,
      lastSeen: Date.now(),
      local,
      launched,
      blockAddress: `${reg.blockHost}:${reg.blockPort}`,
    };
    this.executors.set(id, handle);
    const registered = (bundle: JobBundle) =>
      rpc.send({
        executorRegistered: {
          executorId: id,
          jobModule: this.app!.jobModule,
          jobArgs: this.app!.jobArgs,
          confJson: this.app!.confJson,
          bundleHash: bundle.hash,
          bundleExternalsJson: JSON.stringify(bundle.externals),
          sluiceVersion: SLUICE_VERSION,
        },
      });
    if (this.bundle) registered(this.bundle);
    else void this.bundling?.then(registered, () => undefined);
    return handle;
  }

  private onMessage(e: ExecutorHandle, msg: Envelope, trailer: Buffer): void {
    e.lastSeen = Date.now();
    if (msg.taskFinished) this.onTaskFinished(e, msg.taskFinished);
    else if (msg.fetchJobBundle) this.sendBundle(e, msg.fetchJobBundle.hash);
    else if (msg.blockReplicaPart) this.receiverHost.replicaPart(e.id, msg.blockReplicaPart.blockId, trailer);
    else if (msg.blockAdded) this.receiverHost.blockAdded(e.id, msg.blockAdded);
    else if (msg.receiverReport) this.receiverHost.receiverReport(e.id, msg.receiverReport);
    else if (msg.executorReady) this.onReady(e, msg.executorReady);
    else if (msg.heartbeat && e.ready) {
      const hb = msg.heartbeat;
      this.checkStuck(e, hb.running ?? []);
      this.events.next({
        type: 'heartbeat',
        executorId: e.id,
        time: e.lastSeen,
        runningTasks: hb.runningTasks,
        memoryBytes: Math.round(hb.rssMb * 1048576),
      });
    }
  }

  private sendBundle(e: ExecutorHandle, hash: string): void {
    const bundle = this.bundle;
    if (!bundle || bundle.hash !== hash) {
      e.rpc.send({ jobBundle: { hash, error: `this driver has no job bundle ${hash} (it ships ${bundle?.hash ?? 'none'})` } });
      return;
    }
    e.rpc.send({ jobBundle: { hash, error: '' } }, [bundle.code]);
  }

  /**
   * How an executor's graph differs from the driver's (null: it does not). Compared as
   * they are first; if they differ, once more with functions printed as the bundle prints
   * them (signature-as-bundled.ts): only a difference in the code counts.
   */
  private graphDifference(executorSignature: string): string | null {
    if (diffGraphSignatures(this.driverSignature, executorSignature) === null) return null;
    this.driverSignatureAsBundled ??= signatureAsBundled(this.driverSignature);
    return diffGraphSignatures(this.driverSignatureAsBundled, signatureAsBundled(executorSignature));
  }

  private onReady(e: ExecutorHandle, ready: NonNullable<Envelope['executorReady']>): void {
    if (!ready.ok) {
      if (!this.fatalError) {
        this.fatalError = `executor ${e.id} ${ready.error}`;
        this.log(this.fatalError);
        this.failEverything('the job module could not be loaded on an executor');
      }
      return;
    }
    const difference = this.driverSignature ? this.graphDifference(ready.graphSignature) : null;
    if (difference !== null) return this.refuse(e, difference);
    e.ready = true;
    this.events.next({ type: 'added', executorId: e.id, host: e.host, cores: e.cores });
    this.receiverHost.executorReady();
    this.schedule();
  }

  /**
   * An executor whose graph differs from the driver's would run other code under the same
   * task names (lineage replay finds functions by position), so it gets no task. While
   * the application starts this fails it, with the reason; later, only that executor is
   * turned away. Either way no local executor is started again into the same difference.
   */
  private refuse(e: ExecutorHandle, difference: string): void {
    const reason =
      `executor ${e.id} built a different DStream graph than the driver and is refused: ${difference}. ` +
      'The job function must build the same graph every time it runs, on the driver and on every executor ' +
      '(see docs/how-jobs-run.md)';
    e.rpc.send({ registerRejected: { reason } });
    this.executors.delete(e.id);
    this.graphRefused = true;
    const anyReady = [...this.executors.values()].some((x) => x.ready);
    if (!anyReady && !this.fatalError) {
      this.fatalError = reason;
      this.log(reason);
      this.failEverything('an executor built a different DStream graph than the driver');
    } else if (anyReady) {
      this.log(reason);
    }
  }

  private onTaskFinished(e: ExecutorHandle, f: TaskFinished): void {
    e.running.delete(f.taskId);
    const task = this.inFlight.get(f.taskId);
    if (!task) return;
    this.inFlight.delete(f.taskId);
    this.shuffleStats.bytesReadLocally += Number(f.shuffleBytesLocal);
    this.shuffleStats.bytesFetchedFromPeers += Number(f.shuffleBytesRemote);
    const cacheReport = {
      added: f.cacheAdded.map((c) => ({ rddId: c.rddId, partition: c.partition })),
      removed: f.cacheRemoved.map((c) => ({ rddId: c.rddId, partition: c.partition })),
    };
    if (f.ok) {
      task.resolve({
        ok: true,
        result: f.result,
        mapStatus: f.hasMapOutput ? { executorId: e.id, address: e.blockAddress, sizes: f.mapOutputSizes.map(Number) } : null,
        cacheReport,
        runMs: f.runMs,
        recordsRead: f.recordsRead,
        executorId: e.id,
      });
    } else {
      const ff = f.fetchFailed;
      task.resolve({
        ok: false,
        message: f.errorMessage,
        stack: f.errorStack,
        executorId: e.id,
        lostExecutor: false,
        cacheReport,
        ...(ff ? { fetchFailed: { shuffleId: ff.shuffleId, mapPartition: ff.mapPartition, executorId: ff.executorId, message: f.errorMessage } } : {}),
      });
    }
    this.schedule();
  }

  private lose(e: ExecutorHandle, reason: string): void {
    if (!this.executors.has(e.id)) return;
    this.executors.delete(e.id);
    e.rpc.socket.destroy();
    if (e.local && e.local.child.exitCode === null) e.local.child.kill('SIGKILL');
    // A pod whose executor is lost is deleted; the launcher then reports it gone and the
    // pool starts a replacement (Spark deletes failed executor pods the same way).
    e.launched?.kill(reason);
    if (!this.stopping) {
      this.log(`lost executor ${e.id} (${reason}); ${e.running.size} running task(s) will be retried${tailOf(e.local)}`);
    }
    this.events.next({ type: 'removed', executorId: e.id, reason });
    this.receiverHost.executorLost(e.id);
    for (const taskId of e.running) {
      const task = this.inFlight.get(taskId);
      if (!task) continue;
      this.inFlight.delete(taskId);
      task.attempt++;
      if (task.attempt >= this.conf.taskMaxFailures) {
        task.resolve({
          ok: false,
          message: `task lost ${task.attempt} times (last: executor ${e.id}, ${reason}); giving up after taskMaxFailures=${this.conf.taskMaxFailures}`,
          stack: '',
          executorId: e.id,
          lostExecutor: true,
        });
      } else {
        task.queuedAt = Date.now();
        this.queue.unshift(task);
      }
    }
    if (this.executors.size === 0 && this.launching.size === 0 && (this.conf.executors === 0 || this.stopping)) {
      if (!this.stopping) this.log('no executors left: waiting for one to connect');
    }
    this.schedule();
  }

  /**
   * Reports (once) each task an executor says has run longer than stuckTaskTimeout, with
   * where it is in the job, and kills it when killStuckTasks is set. The executor's
   * heartbeat keeps coming meanwhile: tasks run in task threads, never on its main thread.
   */
  private checkStuck(e: ExecutorHandle, running: { taskId: number; runningMs: number }[]): void {
    const limit = this.conf.stuckTaskTimeoutMs;
    if (!limit) return;
    for (const r of running) {
      if (r.runningMs < limit) continue;
      const task = this.inFlight.get(Number(r.taskId));
      if (!task || task.stuckReported) continue;
      task.stuckReported = true;
      const s = task.spec;
      const stage = s.shuffleId ? `${s.stageRdd} (map side of shuffle ${s.shuffleId})` : s.stageRdd;
      const seconds = (r.runningMs / 1000).toFixed(1);
      const kill = this.conf.killStuckTasks;
      this.log(
        `task ${task.taskId} (batch ${s.batchTime}, output operation ${s.outputOp}, job ${s.actionIndex}, stage ${stage}, partition ${s.partition}) ` +
          `has been running for ${seconds} s on executor ${e.id}, longer than stuckTaskTimeout (${limit} ms): ` +
          (kill ? 'killing it (killStuckTasks)' : 'stuck in user code? (set killStuckTasks=true to kill such tasks)'),
      );
      if (kill) e.rpc.send({ killTask: { taskId: task.taskId, reason: `stuck in user code for ${seconds} s (stuckTaskTimeout ${limit} ms)` } });
    }
  }

  private checkHeartbeats(): void {
    const now = Date.now();
    for (const e of [...this.executors.values()]) {
      if (now - e.lastSeen > this.conf.executorTimeoutMs) this.lose(e, `no heartbeat for ${now - e.lastSeen} ms`);
    }
  }

  // ---- scheduling ----------------------------------------------------------------------

  /**
   * Hands queued tasks to executors, in queue order: a task reading a block an executor
   * holds goes there (see placeTask), any other to the executor with the most free slots,
   * spreading the load. A slot is a core, plus `taskPrefetch` places in the executor's own
   * queue. A task waiting for its block's executor does not hold up the tasks behind it.
   */
  private schedule(): void {
    const prefetch = this.conf.taskPrefetch ?? 0;
    const now = Date.now();
    let retryInMs: number | null = null;
    const slots = [...this.executors.values()].map((e) => ({ id: e.id, ready: e.ready, free: e.cores + prefetch - e.running.size }));
    for (let i = 0; i < this.queue.length; ) {
      const task = this.queue[i]!;
      const placement = placeTask(task.spec, task.queuedAt, slots, now, this.conf.localityWaitMs);
      if (placement.kind === 'wait') {
        if (placement.retryInMs !== null) retryInMs = Math.min(retryInMs ?? Infinity, placement.retryInMs);
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      if (placement.kind === 'lost') {
        task.resolve({ ok: false, message: placement.message, stack: '', executorId: '', lostExecutor: true });
        continue;
      }
      const target = this.executors.get(placement.executorId)!;
      slots.find((s) => s.id === target.id)!.free--;
      task.executorId = target.id;
      target.running.add(task.taskId);
      this.inFlight.set(task.taskId, task);
      const { message, trailer } = toLaunchTask(task.taskId, task.attempt, task.spec, target.id);
      target.rpc.send({ launchTask: message }, trailer);
    }
    if (retryInMs !== null && !this.localityTimer && !this.stopping) {
      this.localityTimer = setTimeout(() => {
        this.localityTimer = null;
        this.schedule();
      }, retryInMs + 1);
    }
  }

  private failEverything(reason: string): void {
    this.log(reason);
    for (const task of this.queue.splice(0)) {
      task.resolve({ ok: false, message: reason, stack: '', executorId: '', lostExecutor: true });
    }
  }

  private waitForExecutors(count: number): Promise<void> {
    const timeoutMs = this.options.registrationTimeoutMs ?? (this.conf.executors === 0 ? 0 : 60_000);
    return new Promise((resolve, reject) => {
      const check = setInterval(() => {
        const ready = [...this.executors.values()].filter((e) => e.ready).length;
        if (this.fatalError) {
          clearInterval(check);
          clearTimeout(timer);
          reject(new Error(this.fatalError));
        } else if (ready >= count) {
          clearInterval(check);
          clearTimeout(timer);
          resolve();
        } else if (
          this.conf.executors > 0 &&
          this.restarts >= this.conf.maxExecutorRestarts &&
          this.launching.size + this.launchingRemote.size === 0
        ) {
          clearInterval(check);
          clearTimeout(timer);
          reject(new Error('executors failed to start; see their messages above'));
        }
      }, 20);
      const timer = timeoutMs > 0
        ? setTimeout(() => {
            clearInterval(check);
            reject(new Error(`only ${[...this.executors.values()].filter((e) => e.ready).length} of ${count} executors were ready within ${timeoutMs} ms`));
          }, timeoutMs)
        : undefined;
    });
  }
}

function tailOf(proc: LocalExecutorProcess | null): string {
  const tail = proc?.recentStderr().trim();
  return tail ? `; its last output:\n${tail}` : '';
}

function waitForExit(proc: LocalExecutorProcess, graceMs: number): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
    proc.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (graceMs === 0) proc.child.kill('SIGKILL');
  });
}
