import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Observable } from 'rxjs';
import { checkpointIntervalOf } from '../checkpoint/checkpointer.js';
import { assertCompatibleGraph } from '../checkpoint/graph-compatibility.js';
import { readLatestMetadataCheckpoint, type ReadCheckpoint } from '../checkpoint/metadata-checkpoint.js';
import { MetadataCheckpointer } from '../checkpoint/metadata-checkpointer.js';
import { assertWritableDir } from '../checkpoint/durable-file.js';
import { ReceivedBlockLog } from '../wal/received-block-log.js';
import type { Converter } from '../converters/converter.js';
import { lines } from '../converters/converter.js';
import type { DStream } from '../dstream/dstream.js';
import { DStreamGraph } from '../dstream/dstream-graph.js';
import { QueueInputDStream, type QueueStreamOptions } from '../dstream/queue-input-dstream.js';
import { ReceiverInputDStream } from '../dstream/receiver-input-dstream.js';
import { ListenerBus } from '../listener/listener-bus.js';
import type { StreamingEvent, StreamingListener } from '../listener/streaming-listener.js';
import { LocalCollectionRDD } from '../rdd/local-collection-rdd.js';
import type { JobRunner } from '../rdd/job-runner.js';
import type { RDD } from '../rdd/rdd.js';
import { currentBatchTime, runInScope } from '../rdd/rdd-scope.js';
import { Broadcast } from '../broadcast/broadcast.js';
import { setDefaultParallelism } from '../rdd/rdd-operations.js';
import type { Receiver } from '../receiver/receiver.js';
import { RawSocketReceiver } from '../receiver/raw-socket-receiver.js';
import { SocketReceiver } from '../receiver/socket-receiver.js';
import { BlockTracking } from '../scheduler/block-tracking.js';
import { JobGenerator } from '../scheduler/job-generator.js';
import { JobScheduler } from '../scheduler/job-scheduler.js';
import { ReceivedBlockTracker } from '../scheduler/received-block-tracker.js';
import { ExecutorReceiverTracker } from '../scheduler/executor-receiver-tracker.js';
import { ReceiverTracker } from '../scheduler/receiver-tracker.js';
import type { ReceiverTracking } from '../scheduler/receiver-tracking.js';
import type { ReceiverStatus } from '../receiver/receiver-status.js';
import type { TaskBackend } from '../scheduler/task-backend.js';
import { SystemClock, type BatchClock } from '../util/clock.js';
import { Backpressure } from '../scheduler/rate/backpressure.js';
import { parseDuration, type Duration } from '../util/duration.js';
import { resolveConf, type StreamingConf, type StreamingConfInput } from './conf.js';

export type ContextState = 'initialized' | 'active' | 'stopped';

export interface ContextOptions {
  /** 'executor': an inert context that only records the graph (no source opens). */
  mode?: 'driver' | 'executor';
  /** Where tasks run; `sluice submit` passes executor processes. */
  backend?: TaskBackend;
  /** The job module executors load to rebuild the graph, and its arguments. */
  jobModule?: string;
  jobArgs?: string[];
  log?: (line: string) => void;
  /**
   * Recover from the metadata checkpoint in the checkpoint directory if there is one
   * (getOrCreate, `sluice submit --checkpoint`); otherwise start fresh.
   */
  recover?: boolean;
  /** What ticks the batches: real time (default), or a test's ManualClock. */
  clock?: BatchClock;
}

let activeContext: StreamingContext | null = null;

const NO_ACTIONS_WHILE_RECOVERING: JobRunner = {
  runJob: () => Promise.reject(new Error('no action can run while a checkpoint is restored')),
};

/** Actions run inside foreachRDD, whose scope has the runner; never while building. */
const STATIC_RDD_RUNNER: JobRunner = {
  runJob: () => Promise.reject(new Error('actions on a parallelize() RDD run inside foreachRDD(), not while the graph is built')),
};

/**
 * The entry point of a streaming application, as in Spark: create input streams, apply
 * operators, register output operations, then start(). Only one context is active per
 * process. start() and stop() return promises (executors have to connect first).
 */
export class StreamingContext {
  readonly conf: StreamingConf;
  readonly graph: DStreamGraph;
  private stateValue: ContextState = 'initialized';
  /** Variables set in every executor before it loads the job (setExecutorEnv). */
  private readonly executorEnvironment: Record<string, string> = {};
  private readonly bus = new ListenerBus();
  private readonly blocks = new ReceivedBlockTracker();
  private receiverTracker: ReceiverTracking | null = null;
  /** backpressureEnabled: the rate controllers of the input streams. */
  private backpressure: Backpressure | null = null;
  private jobScheduler: JobScheduler | null = null;
  /** Where executors keep shuffle map outputs and cached partitions (driver side). */
  readonly tracking = new BlockTracking();
  private jobGenerator: JobGenerator | null = null;
  private readonly log: (line: string) => void;
  private terminated!: () => void;
  private terminationError: Error | null = null;
  private ownedCheckpointDir: string | null = null;
  private recoverFromCheckpoint: boolean;
  private metadataCheckpointer: MetadataCheckpointer | null = null;
  private recovery: { file: string; firstNewBatch: number; startCalledMs: number; reported: boolean } | null = null;
  /** When start()'s steps ended (performance.now()): the recovery figure's breakdown. */
  private readonly startSteps = { checkpointRead: 0, executorsReady: 0, restored: 0 };
  /** When start() was called, in ms since the process started: after the job module loaded. */
  private startCalledMs = 0;
  private readonly termination = new Promise<void>((resolve) => (this.terminated = resolve));

  constructor(
    conf: StreamingConfInput = {},
    private readonly options: ContextOptions = {},
  ) {
    this.conf = resolveConf(conf);
    this.graph = new DStreamGraph(options.mode ?? 'driver', this.conf.batchDurationMs);
    this.log = options.log ?? ((line) => process.stderr.write(`sluice: ${line}\n`));
    setDefaultParallelism(this.conf.defaultParallelism);
    this.graph.checkpointDir = this.conf.checkpointDir;
    this.recoverFromCheckpoint = options.recover ?? false;
  }

  /**
   * Spark's StreamingContext.getOrCreate: the context `create` makes (which builds the
   * graph), checkpointed in `dir`, and recovering at start() from the metadata checkpoint
   * there if one exists: state from the data checkpoints, pending batches rerun, missed
   * batches generated, sources resumed (see docs/reliability.md). Unlike Spark, the graph
   * itself is always built by `create` (functions cannot be stored), so `create` must
   * build the same graph as the job that wrote the checkpoint; a different graph is
   * refused at start() with what differs. `sluice submit --checkpoint DIR` does the same.
   */
  static async getOrCreate(dir: string, create: () => StreamingContext | Promise<StreamingContext>): Promise<StreamingContext> {
    const ssc = await create();
    ssc.checkpoint(dir);
    ssc.recoverFromCheckpoint = true;
    return ssc;
  }

  /**
   * Where state and window checkpoints go, as Spark's ssc.checkpoint(dir). Without it a
   * temporary directory per application is used, which executors on other hosts cannot see.
   */
  checkpoint(dir: string): void {
    if (this.stateValue !== 'initialized') throw new Error('checkpoint(dir) must be called before the StreamingContext starts');
    const abs = resolve(dir);
    this.conf.checkpointDir = abs;
    this.graph.checkpointDir = abs;
  }

  /** Driver, at start: the checkpoint directory exists (a temp one if none was set). */
  private async prepareCheckpointDir(): Promise<void> {
    if (this.conf.receiverWriteAheadLog && !this.conf.checkpointDir) {
      throw new Error('receiverWriteAheadLog needs a checkpoint directory: call ssc.checkpoint(dir) or pass --checkpoint DIR');
    }
    if (this.conf.checkpointDir) {
      await assertWritableDir(this.conf.checkpointDir);
      this.graph.checkpointDir = this.conf.checkpointDir;
      return;
    }
    const needed = this.graph.streamsToCheckpoint();
    if (needed.length === 0) return;
    {
      this.conf.checkpointDir = mkdtempSync(join(tmpdir(), `sluice-checkpoint-${this.conf.appName}-`));
      this.ownedCheckpointDir = this.conf.checkpointDir;
      this.log(
        `no checkpoint directory set: checkpoints of ${needed.map((s) => `${s.toString()} (every ${checkpointIntervalOf(s)} ms)`).join(', ')} ` +
          `go to the temporary ${this.conf.checkpointDir}, removed at stop; executors on other hosts need ssc.checkpoint(dir) on a shared directory`,
      );
    }
    this.graph.checkpointDir = this.conf.checkpointDir;
  }

  get state(): ContextState {
    return this.stateValue;
  }

  get mode(): 'driver' | 'executor' {
    return this.graph.mode;
  }

  /** Engine events as an observable (see addStreamingListener for the Spark style). */
  get events$(): Observable<StreamingEvent> {
    return this.bus.events$;
  }

  addStreamingListener(listener: StreamingListener): () => void {
    return this.bus.addListener(listener);
  }

  // ---- sources -------------------------------------------------------------------

  /** UTF-8 lines from a TCP server at host:port. */
  socketTextStream(host: string, port: number): DStream<string> {
    return this.socketStream(host, port, lines);
  }

  /**
   * Records from a TCP server at host:port, framed and decoded by `converter`. As in
   * Spark, the receiver reconnects when the server closes the connection; with
   * `endsWithConnection` that close ends the stream instead (the receiver stops; a
   * listener's onReceiverStopped tells the driver), for a server that sends a finite
   * stream and would send it again to a new connection.
   */
  socketStream<T>(host: string, port: number, converter: Converter<T>, options: { endsWithConnection?: boolean } = {}): DStream<T> {
    validatePort(port);
    return this.receiverStream(new SocketReceiver(host, port, converter, this.conf.maxFrameBytes, options.endsWithConnection ?? false));
  }

  /**
   * Blocks of records already grouped by the sender (the raw block format of
   * @sluice/protocol), each stored as it arrives. Records are Buffers.
   */
  rawSocketStream(host: string, port: number): DStream<Buffer> {
    validatePort(port);
    return this.receiverStream(new RawSocketReceiver(host, port, this.conf.maxFrameBytes));
  }

  /** Any custom receiver. */
  receiverStream<T>(receiver: Receiver<T>): DStream<T> {
    return new ReceiverInputDStream<T>(this.graph, receiver, this.mode === 'driver' ? this.blocks : null);
  }

  /** Batches taken from a queue of arrays (for tests and demos). */
  queueStream<T>(queue: T[][], options: QueueStreamOptions<T> = {}): DStream<T> {
    return new QueueInputDStream<T>(this.graph, queue, options, this.conf.defaultParallelism);
  }

  union<T>(...streams: DStream<T>[]): DStream<T> {
    if (streams.length === 0) throw new Error('union() needs at least one stream');
    return streams[0]!.union(...streams.slice(1));
  }

  /**
   * Every stream keeps its RDDs for at least `duration` (Spark's remember), so that
   * foreachRDD and transform functions can slice() back that far. Call it while building
   * the graph (the job function), so that executors compute the same.
   */
  remember(duration: Duration): void {
    this.graph.remember(parseDuration(duration, 'remember duration'));
  }

  /**
   * A static RDD of `records`, to join streams with inside transform() (a label ->
   * category table, a list of known ids). The job function runs on the driver and on
   * every executor, so each builds its own copy and no record is ever shipped: build it
   * the same way everywhere (a literal, a file at the same path on every host). The graph
   * fingerprint holds a hash of the records; an executor whose copy differs is refused.
   * The RDD is the same object in every batch; persist() it to keep a transformation of it.
   */
  parallelize<T>(records: readonly T[], numSlices = this.conf.defaultParallelism): RDD<T> {
    return this.graph.addStaticRDD(records, (id) =>
      runInScope(
        { prefix: `s${id}`, batchTime: 0, runner: STATIC_RDD_RUNNER, inputs: null, outputOp: -1 },
        () => new LocalCollectionRDD(records, numSlices),
      ),
    );
  }

  /**
   * A value the driver decides and tasks read, as Spark's broadcast variables (see
   * broadcast/broadcast.ts and docs/how-jobs-run.md): `b.value` in a task is the driver's
   * value when the task's batch was generated; `b.update(v)` on the driver changes it for
   * later batches. Call it in the job function, like the streams.
   */
  broadcast<T>(initial: T): Broadcast<T> {
    const b = new Broadcast<T>(this.graph.broadcasts.length, initial, this.mode, currentBatchTime);
    this.graph.broadcasts.push(b);
    return b;
  }

  // ---- lifecycle -------------------------------------------------------------------

  async start(): Promise<void> {
    this.startCalledMs = performance.now();
    if (this.stateValue === 'active') {
      this.log('StreamingContext has already been started');
      return;
    }
    if (this.stateValue === 'stopped') throw new Error('a stopped StreamingContext cannot be started again');
    this.graph.freeze();
    if (this.mode === 'executor') {
      this.stateValue = 'active';
      return;
    }
    if (activeContext) throw new Error('only one StreamingContext may be active in a process; stop the other one first');
    const backend = this.options.backend;
    if (!backend) {
      throw new Error(
        'this StreamingContext has no executors: run the job with `sluice submit <job file>` ' +
          '(`--master local[N]` runs it in one process), create it through submit() from @sluice/cli, ' +
          'or test it with @sluice/testing',
      );
    }
    if (this.conf.receiverPlacement === 'executor' && !backend.receiverHost) {
      throw new Error("receiverPlacement 'executor' needs a backend that runs receivers on its executors");
    }
    activeContext = this;
    let recovered: ReadCheckpoint | null = null;
    try {
      await this.prepareCheckpointDir();
      recovered = await this.readCheckpointToRecover();
      await this.openWriteAheadLogs();
      this.startSteps.checkpointRead = performance.now();
    } catch (err) {
      activeContext = null;
      this.stateValue = 'stopped';
      this.terminated();
      throw err;
    }
    backend.events$.subscribe((e) => {
      if (e.type === 'added') this.bus.post({ type: 'onExecutorAdded', payload: { executorId: e.executorId, host: e.host, cores: e.cores } });
      else if (e.type === 'removed') {
        this.tracking.executorLost(e.executorId);
        this.bus.post({ type: 'onExecutorRemoved', payload: { executorId: e.executorId, reason: e.reason } });
      } else {
        const { executorId, time, runningTasks, memoryBytes } = e;
        this.bus.post({ type: 'onExecutorHeartbeat', payload: { heartbeat: { executorId, time, runningTasks, memoryBytes } } });
      }
    });
    const backendStarted = backend
      .start({
        jobModule: this.options.jobModule ?? '',
        jobArgs: this.options.jobArgs ?? [],
        confJson: JSON.stringify({ ...this.conf, executorEnv: this.executorEnvironment }),
        graphSignature: this.graph.signature(),
      })
      .then(() => {
        this.startSteps.executorsReady = performance.now();
      });
    // waitForExecutors false: the clock starts now and the first batches' tasks wait for
    // the executors in the backend's queue, as in Spark (see the setting).
    const clockFirst =
      !this.conf.waitForExecutors && backend.queuesTasksBeforeStart === true && this.conf.receiverPlacement === 'driver' && !recovered;
    if (clockFirst) backendStarted.catch(() => undefined);
    else {
      try {
        await backendStarted;
      } catch (err) {
        // Whatever did start (a listening port, executor processes) must not outlive this.
        await backend.stop().catch(() => {});
        activeContext = null;
        this.stateValue = 'stopped';
        this.terminated();
        throw err;
      }
    }
    const receiverStreams = this.graph.inputs.filter(
      (s): s is ReceiverInputDStream<unknown> => s instanceof ReceiverInputDStream,
    );
    this.receiverTracker =
      this.conf.receiverPlacement === 'executor'
        ? new ExecutorReceiverTracker(receiverStreams, this.blocks, backend.receiverHost!, backend.events$, this.conf, this.bus, this.log)
        : new ReceiverTracker(receiverStreams, this.blocks, this.conf, this.bus, this.log, (m) => this.fatal(m));
    if (this.conf.backpressureEnabled) {
      const receiverIds = new Set(receiverStreams.map((s) => s.streamId));
      this.backpressure = new Backpressure(
        this.conf,
        this.graph.inputs,
        (streamId, rate) => {
          if (receiverIds.has(streamId)) this.receiverTracker?.setRate(streamId, rate);
          else this.graph.inputs.find((s) => s.id === streamId)?.publishRate(rate);
        },
        this.log,
      );
    }
    this.jobScheduler = new JobScheduler(
      this.bus,
      (time) => {
        const info = this.blocks.inputInfo(time);
        for (const input of this.graph.inputs) {
          const own = input.inputInfo(time);
          if (own) info[own.streamId] = own;
        }
        if (this.backpressure) {
          for (const i of Object.values(info)) {
            const rate = this.backpressure.rateOf(i.streamId);
            if (rate !== undefined) i.rateLimit = Math.round(rate);
          }
        }
        return info;
      },
      {
        batchFinished: (time) => {
          // Blocks stay while a window over their stream may read them again.
          const keepMs = this.graph.maxInputRememberDurationMs() - this.graph.batchDurationMs;
          const freed = this.blocks.cleanupUpTo(time - keepMs).filter((b) => b.heldBy !== undefined);
          if (freed.length > 0) backend.receiverHost?.removeBlocks(freed);
          this.graph.forget(time);
          const keptUpTo = this.graph.cachedBatchesDoneUpTo(time);
          this.tracking.batchesDoneUpTo(keptUpTo);
          backend.batchDone(time, keptUpTo);
          this.metadataCheckpointer?.batchCompleted(time);
          this.reportRecovery(time);
        },
        log: this.log,
      },
      this.conf.retainedBatches,
      this.conf.maxQueuedBatches,
    );
    this.jobGenerator = new JobGenerator(
      this.graph,
      this.blocks,
      () => this.receiverTracker!.streamIds,
      this.jobScheduler,
      backend,
      this.log,
      this.options.clock ?? new SystemClock(),
      this.tracking,
      (event) => this.bus.post(event),
    );
    if (this.conf.checkpointDir && this.ownedCheckpointDir === null) {
      this.metadataCheckpointer = new MetadataCheckpointer(this.conf.checkpointDir, this.graph, this.conf, (m) => this.fatal(m));
      this.jobGenerator.onGenerated = (time) => this.metadataCheckpointer!.batchGenerated(time);
    }
    if (recovered) await this.restoreFrom(recovered);
    await Promise.all(this.graph.inputs.map((s) => s.start()));
    await this.receiverTracker.start();
    this.startSteps.restored = performance.now();
    this.backpressure?.start(this.bus);
    this.stateValue = 'active';
    if (recovered) {
      const cp = recovered.checkpoint;
      this.recovery = {
        file: recovered.file,
        firstNewBatch: cp.lastGeneratedTime + this.conf.batchDurationMs,
        startCalledMs: this.startCalledMs,
        reported: false,
      };
      const { rerun, missed } = await this.jobGenerator.restart(cp.pendingTimes, cp.lastGeneratedTime);
      this.log(
        `recovered from ${recovered.file}: reran ${rerun} pending batch(es), generated ${missed} missed batch(es) ` +
          `(the driver was down from ${cp.lastGeneratedTime} to ${cp.lastGeneratedTime + (missed + 1) * this.conf.batchDurationMs})`,
      );
    } else {
      this.jobGenerator.start();
    }
    this.bus.post({ type: 'onStreamingStarted', payload: { time: Date.now() } });
    if (clockFirst) {
      try {
        await backendStarted;
      } catch (err) {
        // The executors could not start: what started meanwhile (receivers, the clock, the
        // batches waiting for executors) stops with them.
        await this.stop({ graceful: false }).catch(() => {});
        throw err;
      }
    }
  }

  // ---- recovery (docs/reliability.md) ---------------------------------------------

  private async readCheckpointToRecover(): Promise<ReadCheckpoint | null> {
    const dir = this.conf.checkpointDir;
    if (!dir || this.ownedCheckpointDir !== null) return null;
    const found = await readLatestMetadataCheckpoint(dir);
    if (!found) return null;
    if (!this.recoverFromCheckpoint) {
      throw new Error(
        `the checkpoint directory ${dir} holds the checkpoint of an earlier run (${found.file}). ` +
          'Recover from it with StreamingContext.getOrCreate(dir, create) or `sluice submit --checkpoint DIR`, ' +
          'or start fresh with an empty directory.',
      );
    }
    for (const s of found.skipped) this.log(`skipped an unreadable metadata checkpoint: ${s}`);
    assertCompatibleGraph(
      found.checkpoint,
      { signature: this.graph.signature(), streams: this.graph.describeStreams(), batchDurationMs: this.conf.batchDurationMs },
      found.file,
    );
    return found;
  }

  /** receiverWriteAheadLog: each receiver stream gets its log (and what an earlier run left in it). */
  private async openWriteAheadLogs(): Promise<void> {
    if (!this.conf.receiverWriteAheadLog) return;
    if (this.conf.receiverPlacement === 'executor') {
      // See docs/reliability.md#the-write-ahead-log-and-receivers-on-executors.
      throw new Error(
        "receiverWriteAheadLog needs the receivers in the driver (receiverPlacement 'driver', the default): with " +
          "receiverPlacement 'executor' blocks are stored and reported by executors, and no write-ahead log records " +
          'them, so a driver restart could not replay them. Use the default placement for a job that must not lose ' +
          "received data, or keep 'executor' with blockReplication 2 (survives the loss of one executor, not of the driver).",
      );
    }
    for (const input of this.graph.inputs) {
      if (!(input instanceof ReceiverInputDStream)) continue;
      const { log, blocks, problems } = await ReceivedBlockLog.open(this.conf.checkpointDir!, input.id, this.conf.writeAheadLogRollingIntervalMs);
      for (const p of problems) this.log(`write-ahead log: ${p}`);
      input.useWriteAheadLog(log, this.recoverFromCheckpoint ? blocks : []);
    }
  }

  /** Puts back what the checkpoint recorded, before the receivers and the clock start. */
  private async restoreFrom(found: ReadCheckpoint): Promise<void> {
    const cp = found.checkpoint;
    this.graph.setZeroTime(cp.zeroTime);
    for (const cut of cp.dataCheckpoints) {
      const stream = this.graph.stream(cut.streamId);
      runInScope({ prefix: 'recover', batchTime: cut.time, runner: NO_ACTIONS_WHILE_RECOVERING, inputs: null, outputOp: -1 }, () =>
        stream.restoreFromCheckpoint(cut),
      );
      this.graph.dataCheckpointsOf(cut.streamId).push(cut);
    }
    for (const input of this.graph.inputs) {
      const batches = new Map<number, unknown>();
      for (const b of cp.batches) if (b.inputs[input.id] !== undefined) batches.set(b.time, b.inputs[input.id]);
      this.log(await input.recover(cp.inputs[input.id] ?? null, batches, cp.pendingTimes));
    }
    this.metadataCheckpointer?.restore(cp);
  }

  /** The recovery figure: from the driver's start to the first batch after the restart completed. */
  private reportRecovery(time: number): void {
    const r = this.recovery;
    if (!r || r.reported || time < r.firstNewBatch) return;
    r.reported = true;
    const now = performance.now();
    const since = (t: number) => Math.round(t - r.startCalledMs);
    const { checkpointRead, executorsReady, restored } = this.startSteps;
    this.log(
      `recovery: first new batch (${time}) completed ${Math.round(now)} ms after the driver process started ` +
        `(${Math.round(r.startCalledMs)} ms to load the job module and build the graph, ${since(now)} ms from start() on: ` +
        `checkpoint and write-ahead log read at +${since(checkpointRead)} ms, executors ready at +${since(executorsReady)} ms, ` +
        `state restored and receivers started at +${since(restored)} ms, rerun and catch-up batches done at +${since(now)} ms)`,
    );
  }

  /** A failure that must stop the stream (a checkpoint or log that cannot be written): clean stop, reason kept. */
  private fatal(message: string): void {
    if (this.stateValue !== 'active' || this.terminationError) return;
    this.log(`${message}; stopping`);
    this.terminationError = new Error(message);
    void this.stop({ graceful: false });
  }

  /**
   * An environment variable for this application's executors, as Spark's
   * `SparkConf.setExecutorEnv`: each executor sets it before it loads the job module, so
   * the job's code on an executor can read what the driver decided (a port it opened, a
   * path). Executors may start before the driver has run the job, so inheriting the
   * driver's environment is not enough. Call it before start().
   */
  setExecutorEnv(name: string, value: string): this {
    if (this.stateValue !== 'initialized') throw new Error(`setExecutorEnv(${name}): the context has started; executors already run the job`);
    this.executorEnvironment[name] = value;
    return this;
  }

  /**
   * Stops the stream. Graceful: receivers stop first, everything they received is
   * processed, then the executors stop. Otherwise batches in flight are abandoned.
   */
  async stop(options: { graceful?: boolean } = {}): Promise<void> {
    if (this.stateValue !== 'active') {
      this.stateValue = 'stopped';
      this.terminated();
      return;
    }
    this.stateValue = 'stopped';
    if (this.mode === 'executor') {
      this.terminated();
      return;
    }
    try {
      if (options.graceful) {
        await this.receiverTracker?.stop();
        await Promise.all(this.graph.inputs.map((s) => s.stop()));
        this.jobGenerator?.stop();
        await this.jobGenerator?.whenGenerated();
        if (this.blocks.pendingBlocks > 0 && this.jobGenerator) {
          // What the receivers took in since the last batch goes into the next one, at its
          // own time, as in Spark: the batch is generated when its boundary comes (at most
          // one batch duration from now), not ahead of it, so its records' latencies and the
          // time it is labelled with are real. Before the first batch, the next batch time
          // counts from the graph's zero time.
          const last = Math.max(this.jobGenerator.lastBatchTime, this.graph.zeroTime);
          const next = last + this.conf.batchDurationMs;
          await this.jobGenerator.generateBatchWhenDue(next);
        }
        await this.jobScheduler?.whenIdle();
      } else {
        this.jobGenerator?.stop();
        await this.receiverTracker?.stop();
        await Promise.all(this.graph.inputs.map((s) => s.stop()));
      }
      this.jobScheduler?.stop();
      this.backpressure?.stop();
      await this.metadataCheckpointer?.flush();
      await this.options.backend?.stop();
    } catch (err) {
      this.terminationError = err as Error;
    } finally {
      activeContext = null;
      if (this.ownedCheckpointDir) rmSync(this.ownedCheckpointDir, { recursive: true, force: true });
      this.bus.close();
      this.terminated();
    }
  }

  /** Resolves when the context stops (rejects if stopping failed). */
  async awaitTermination(): Promise<void> {
    if (this.mode === 'executor') return;
    await this.termination;
    if (this.terminationError) throw this.terminationError;
  }

  /** True if the context stopped within `ms`. */
  async awaitTerminationOrTimeout(ms: number): Promise<boolean> {
    if (this.mode === 'executor') return true;
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timeout = setTimeout(() => resolve(false), ms)));
    const result = await Promise.race([this.termination.then(() => true as const), timedOut]);
    clearTimeout(timeout);
    return result;
  }

  /**
   * The metadata checkpoint writes so far (count, total ms, bytes) and the requests they
   * served (a generation or completion each), or null when none are written.
   */
  get metadataCheckpointStats(): { writes: number; totalMs: number; bytes: number; requests: number } | null {
    return this.metadataCheckpointer ? this.metadataCheckpointer.stats : null;
  }

  /** Batches finished so far (the newest retainedBatches), for the UI and tests. */
  get completedBatches() {
    return this.jobScheduler?.completedBatches ?? [];
  }

  /** Received blocks not yet freed, by holder (an executor id or 'driver'), for the UI. */
  blocksHeld(): Map<string, { blocks: number; bytes: number }> {
    return this.blocks.holdings();
  }

  /** The receivers, wherever they run, for metrics (records stored, error counts). */
  get receivers(): ReceiverStatus[] {
    return this.receiverTracker?.statuses ?? [];
  }
}

function validatePort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port ${port}: use 1-65535`);
}
