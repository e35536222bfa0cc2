import type { BatchInfo, ExecutorHeartbeatInfo, ReceiverInfo, StageCompletedInfo, TaskEndInfo } from '@sluice/streaming';
import type { ApplicationMetric, ApplicationStartInfo, StatusSnapshot, UiEvent } from '../ui-events.js';
import { BoundedMap } from './bounded-map.js';
import { type BatchRecord, failedOutputOps } from './batch-record.js';

export interface UiStoreOptions {
  /** Batches kept (Spark's spark.streaming.ui.retainedBatches; here 10,000 by default). */
  retainedBatches?: number;
  /** Of those, the newest whose jobs, stages and tasks are kept too. */
  retainedBatchDetails?: number;
  /** Tasks kept per batch (the rest are counted). */
  maxTasksPerBatch?: number;
}

export interface ReceiverRecord {
  info: ReceiverInfo;
  state: 'ACTIVE' | 'ERROR' | 'INACTIVE';
  recordsStored: number;
  errorCounts: Record<string, number>;
}

export interface ExecutorRecord {
  id: string;
  host: string;
  cores: number;
  active: boolean;
  addTime: number;
  removeTime: number | null;
  removeReason: string | null;
  activeTasks: number;
  completedTasks: number;
  failedTasks: number;
  /** Executor-side run time of its tasks. */
  totalDurationMs: number;
  recordsRead: number;
  lastHeartbeat: number | null;
  memoryBytes: number;
  blocksHeld: number;
  bytesHeld: number;
}

export interface KafkaPartitionRecord {
  topic: string;
  partition: number;
  /** Offsets of the newest batch: where it started, ended, and the log's end then. */
  fromOffset: number;
  untilOffset: number;
  logEndOffset: number;
  lag: number;
  recordsTotal: number;
  lastBatchTime: number;
  /** Records per second of the newest batch. */
  rate: number;
}

interface KafkaOffsetMeta {
  topic: string;
  partition: number;
  fromOffset: number;
  untilOffset: number;
  logEndOffset?: number;
}

type Listener = () => void;

/**
 * The UI's model of one application, built from listener events alone: live from the
 * listener bus, or replayed from an event log by the history server. Memory is bounded:
 * batches by retainedBatches, their jobs and tasks by retainedBatchDetails.
 */
export class UiStore {
  app: ApplicationStartInfo = {
    appId: 'app',
    appName: 'sluice-app',
    startTime: 0,
    batchDurationMs: 1000,
    conf: {},
    runtime: {},
  };
  endTime: number | null = null;
  streamingStartTime: number | null = null;
  readonly batches: BoundedMap<number, BatchRecord>;
  readonly receivers = new Map<number, ReceiverRecord>();
  readonly executors = new Map<string, ExecutorRecord>();
  readonly kafka = new Map<string, KafkaPartitionRecord>();
  readonly appMetrics = new Map<string, ApplicationMetric>();
  /** Totals over the whole run, not only the retained batches. */
  totals = { completedBatches: 0, failedBatches: 0, processedRecords: 0, receivedRecords: 0, tasks: 0, failedTasks: 0 };
  /** Sums over the retained completed batches, for Spark's averages. */
  private retained = { count: 0, records: 0, schedulingDelay: 0, processingTime: 0, totalDelay: 0 };
  private readonly detailed: number[] = [];
  private readonly retainedBatchDetails: number;
  private readonly maxTasksPerBatch: number;
  private readonly listeners = new Set<Listener>();
  /** Batches changed since the last drain (for live pushes). */
  private changed = new Set<number>();

  constructor(options: UiStoreOptions = {}) {
    this.batches = new BoundedMap(options.retainedBatches ?? 10_000, (_, b) => this.forgetCompleted(b));
    this.retainedBatchDetails = options.retainedBatchDetails ?? 1000;
    this.maxTasksPerBatch = options.maxTasksPerBatch ?? 1000;
  }

  /** Called after every event (the live server batches these into pushes). */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Batch times changed since the previous call. */
  drainChangedBatches(): number[] {
    const out = [...this.changed];
    this.changed = new Set();
    return out;
  }

  apply(event: UiEvent): void {
    switch (event.type) {
      case 'onApplicationStart':
        this.app = event.payload;
        break;
      case 'onApplicationEnd':
        this.endTime = event.payload.time;
        for (const e of this.executors.values()) e.activeTasks = 0;
        break;
      case 'onStreamingStarted':
        this.streamingStartTime = event.payload.time;
        break;
      case 'onBatchSubmitted':
        this.onBatch(event.payload.batchInfo, 'QUEUED');
        break;
      case 'onBatchStarted':
        this.onBatch(event.payload.batchInfo, 'PROCESSING');
        break;
      case 'onBatchCompleted':
        this.onBatch(event.payload.batchInfo, 'COMPLETED');
        break;
      case 'onOutputOperationStarted':
      case 'onOutputOperationCompleted': {
        const op = event.payload.outputOperationInfo;
        const b = this.batches.get(op.batchTime);
        if (b) {
          b.info.outputOperationInfos[op.id] = op;
          this.changed.add(op.batchTime);
        }
        break;
      }
      case 'onReceiverStarted':
        this.onReceiver(event.payload.receiverInfo, 'ACTIVE');
        break;
      case 'onReceiverError':
        this.onReceiver(event.payload.receiverInfo, 'ERROR');
        break;
      case 'onReceiverStopped':
        this.onReceiver(event.payload.receiverInfo, 'INACTIVE');
        break;
      case 'onExecutorAdded': {
        const { executorId, host, cores } = event.payload;
        const prev = this.executors.get(executorId);
        this.executors.set(executorId, {
          ...(prev ?? newExecutor(executorId)),
          host,
          cores,
          active: true,
          addTime: prev?.addTime ?? Date.now(),
          removeTime: null,
          removeReason: null,
        });
        break;
      }
      case 'onExecutorRemoved': {
        const e = this.executor(event.payload.executorId);
        e.active = false;
        e.removeTime = Date.now();
        e.removeReason = event.payload.reason;
        e.activeTasks = 0;
        break;
      }
      case 'onExecutorHeartbeat':
        this.onHeartbeat(event.payload.heartbeat);
        break;
      case 'onTaskEnd':
        this.onTask(event.payload.taskInfo);
        break;
      case 'onStageCompleted':
        this.onStage(event.payload.stageInfo);
        break;
      case 'onStatusSnapshot':
        this.onSnapshot(event.payload);
        break;
      case 'onApplicationMetric':
        this.appMetrics.set(event.payload.source, event.payload);
        break;
    }
    for (const l of this.listeners) l();
  }

  get retainedStats() {
    return this.retained;
  }

  private onBatch(info: BatchInfo, status: BatchRecord['status']): void {
    const time = info.batchTime;
    let b = this.batches.get(time);
    if (!b) {
      b = { info, status, jobs: [], tasks: [], tasksNotKept: 0, detailKept: true };
      this.batches.set(time, b);
      this.totals.receivedRecords += info.numRecords;
      this.detailed.push(time);
      while (this.detailed.length > this.retainedBatchDetails) this.dropDetail(this.detailed.shift()!);
    } else {
      // Output operation events may have been applied already: keep the newer of each.
      const ops = { ...info.outputOperationInfos };
      for (const [id, op] of Object.entries(b.info.outputOperationInfos)) {
        const mine = ops[Number(id)];
        if (!mine || (op.endTime !== null && mine.endTime === null)) ops[Number(id)] = op;
      }
      b.info = { ...info, outputOperationInfos: ops };
      b.status = status;
    }
    this.changed.add(time);
    if (status === 'COMPLETED') {
      this.totals.completedBatches++;
      this.totals.processedRecords += info.numRecords;
      if (failedOutputOps(b.info) > 0) this.totals.failedBatches++;
      this.retained.count++;
      this.retained.records += info.numRecords;
      this.retained.schedulingDelay += info.schedulingDelay ?? 0;
      this.retained.processingTime += info.processingDelay ?? 0;
      this.retained.totalDelay += info.totalDelay ?? 0;
      this.onKafkaRanges(info);
    }
  }

  private forgetCompleted(b: BatchRecord): void {
    if (b.status !== 'COMPLETED') return;
    this.retained.count--;
    this.retained.records -= b.info.numRecords;
    this.retained.schedulingDelay -= b.info.schedulingDelay ?? 0;
    this.retained.processingTime -= b.info.processingDelay ?? 0;
    this.retained.totalDelay -= b.info.totalDelay ?? 0;
  }

  private dropDetail(time: number): void {
    const b = this.batches.get(time);
    if (!b) return;
    b.jobs = [];
    b.tasks = [];
    b.detailKept = false;
  }

  private onKafkaRanges(info: BatchInfo): void {
    const seconds = this.app.batchDurationMs / 1000;
    for (const input of Object.values(info.streamIdToInputInfo)) {
      const offsets = (input.metadata as { offsets?: KafkaOffsetMeta[] } | undefined)?.offsets;
      if (!Array.isArray(offsets)) continue;
      for (const o of offsets) {
        const key = `${o.topic}/${o.partition}`;
        const prev = this.kafka.get(key);
        const records = o.untilOffset - o.fromOffset;
        const logEnd = o.logEndOffset ?? o.untilOffset;
        this.kafka.set(key, {
          topic: o.topic,
          partition: o.partition,
          fromOffset: o.fromOffset,
          untilOffset: o.untilOffset,
          logEndOffset: logEnd,
          lag: Math.max(0, logEnd - o.untilOffset),
          recordsTotal: (prev?.recordsTotal ?? 0) + records,
          lastBatchTime: info.batchTime,
          rate: records / seconds,
        });
      }
    }
  }

  private onReceiver(info: ReceiverInfo, state: ReceiverRecord['state']): void {
    const prev = this.receivers.get(info.streamId);
    this.receivers.set(info.streamId, {
      info,
      state,
      recordsStored: prev?.recordsStored ?? 0,
      errorCounts: prev?.errorCounts ?? {},
    });
  }

  private executor(id: string): ExecutorRecord {
    let e = this.executors.get(id);
    if (!e) this.executors.set(id, (e = newExecutor(id)));
    return e;
  }

  private onHeartbeat(hb: ExecutorHeartbeatInfo): void {
    const e = this.executor(hb.executorId);
    e.lastHeartbeat = hb.time;
    e.activeTasks = hb.runningTasks;
    e.memoryBytes = hb.memoryBytes;
  }

  private onTask(t: TaskEndInfo): void {
    this.totals.tasks++;
    if (!t.successful) this.totals.failedTasks++;
    if (t.executorId) {
      const e = this.executor(t.executorId);
      if (t.successful) e.completedTasks++;
      else e.failedTasks++;
      e.totalDurationMs += t.runMs;
      e.recordsRead += t.recordsRead;
    }
    const b = this.batches.get(t.batchTime);
    if (!b || !b.detailKept) return;
    if (b.tasks.length < this.maxTasksPerBatch) b.tasks.push(t);
    else b.tasksNotKept++;
    this.changed.add(t.batchTime);
  }

  private onStage(s: StageCompletedInfo): void {
    const b = this.batches.get(s.batchTime);
    if (!b || !b.detailKept) return;
    let job = b.jobs.find((j) => j.outputOp === s.outputOp && j.jobId === s.jobId);
    if (!job) b.jobs.push((job = { outputOp: s.outputOp, jobId: s.jobId, actionKind: s.actionKind, stages: [] }));
    job.stages.push(s);
    this.changed.add(s.batchTime);
  }

  private onSnapshot(s: StatusSnapshot): void {
    for (const r of s.receivers) {
      const rec = this.receivers.get(r.streamId);
      if (!rec) continue;
      rec.recordsStored = r.recordsStored;
      rec.errorCounts = r.errorCounts;
    }
    for (const e of this.executors.values()) {
      e.blocksHeld = s.blocksHeld[e.id]?.blocks ?? 0;
      e.bytesHeld = s.blocksHeld[e.id]?.bytes ?? 0;
    }
    const driver = this.executor('driver');
    driver.host = 'driver';
    driver.active = this.endTime === null;
    driver.lastHeartbeat = s.time;
    driver.memoryBytes = s.driverMemoryBytes;
    driver.blocksHeld = s.blocksHeld['driver']?.blocks ?? 0;
    driver.bytesHeld = s.blocksHeld['driver']?.bytes ?? 0;
  }
}

function newExecutor(id: string): ExecutorRecord {
  return {
    id,
    host: '',
    cores: 0,
    active: false,
    addTime: 0,
    removeTime: null,
    removeReason: null,
    activeTasks: 0,
    completedTasks: 0,
    failedTasks: 0,
    totalDurationMs: 0,
    recordsRead: 0,
    lastHeartbeat: null,
    memoryBytes: 0,
    blocksHeld: 0,
    bytesHeld: 0,
  };
}
