import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { UiEvent } from '../ui-events.js';

/** Delays from a few ms to minutes: micro-batches are 100 ms to tens of seconds. */
const DELAY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * The application's metrics in Prometheus' text format (`/metrics`), kept by prom-client
 * from the same listener events the UI shows. Names follow Prometheus conventions: base
 * units (seconds, bytes), `_total` for counters, labels for receivers, executors and
 * Kafka partitions. The driver process' own metrics carry the `sluice_driver_` prefix.
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  private readonly streamNames = new Map<number, string>();
  private readonly errorCounts = new Map<string, number>();
  private readonly batchesCompleted: Counter;
  private readonly batchesFailed: Counter;
  private readonly recordsReceived: Counter<'receiver'>;
  private readonly recordsProcessed: Counter;
  private readonly processing: Histogram;
  private readonly scheduling: Histogram;
  private readonly totalDelay: Histogram;
  private readonly outputOpsFailed: Counter;
  private readonly tasks: Counter<'executor' | 'status'>;
  private readonly taskRun: Histogram;
  private readonly executorsActive: Gauge;
  private readonly executorMemory: Gauge<'executor'>;
  private readonly executorRunning: Gauge<'executor'>;
  private readonly receiverActive: Gauge<'receiver'>;
  private readonly receiverErrors: Counter<'receiver' | 'kind'>;
  private readonly blocksHeld: Gauge<'holder'>;
  private readonly bytesHeld: Gauge<'holder'>;
  private readonly kafkaLag: Gauge<'topic' | 'partition'>;
  private readonly kafkaOffset: Gauge<'topic' | 'partition'>;
  private readonly kafkaRecords: Counter<'topic' | 'partition'>;
  private readonly activeBatches: Gauge;
  private readonly running = new Set<number>();
  private readonly executors = new Set<string>();

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.batchesCompleted = new Counter({ name: 'sluice_batches_completed_total', help: 'Batches completed', registers });
    this.batchesFailed = new Counter({ name: 'sluice_batches_failed_total', help: 'Completed batches with a failed output operation', registers });
    this.recordsReceived = new Counter({
      name: 'sluice_records_received_total',
      help: 'Records of input streams given to batches, by receiver (or input stream)',
      labelNames: ['receiver'],
      registers,
    });
    this.recordsProcessed = new Counter({ name: 'sluice_records_processed_total', help: 'Records of completed batches', registers });
    this.processing = new Histogram({ name: 'sluice_batch_processing_seconds', help: 'Processing time of a batch', buckets: DELAY_BUCKETS, registers });
    this.scheduling = new Histogram({ name: 'sluice_scheduling_delay_seconds', help: 'Time a batch waited before processing', buckets: DELAY_BUCKETS, registers });
    this.totalDelay = new Histogram({ name: 'sluice_batch_total_delay_seconds', help: 'Scheduling delay plus processing time of a batch', buckets: DELAY_BUCKETS, registers });
    this.activeBatches = new Gauge({ name: 'sluice_batches_active', help: 'Batches submitted and not yet completed', registers });
    this.outputOpsFailed = new Counter({ name: 'sluice_output_operations_failed_total', help: 'Output operations that failed', registers });
    this.tasks = new Counter({ name: 'sluice_tasks_total', help: 'Tasks finished, by executor and status', labelNames: ['executor', 'status'], registers });
    this.taskRun = new Histogram({ name: 'sluice_task_run_seconds', help: 'Time executors spent running a task', buckets: DELAY_BUCKETS, registers });
    this.executorsActive = new Gauge({ name: 'sluice_executors_active', help: 'Executors connected and ready', registers });
    this.executorMemory = new Gauge({ name: 'sluice_executor_memory_bytes', help: 'Resident memory of an executor (last heartbeat)', labelNames: ['executor'], registers });
    this.executorRunning = new Gauge({ name: 'sluice_executor_running_tasks', help: 'Tasks an executor runs (last heartbeat)', labelNames: ['executor'], registers });
    this.receiverActive = new Gauge({ name: 'sluice_receiver_active', help: '1 while a receiver runs', labelNames: ['receiver'], registers });
    this.receiverErrors = new Counter({ name: 'sluice_receiver_errors_total', help: 'Faults a receiver reported, by kind', labelNames: ['receiver', 'kind'], registers });
    this.blocksHeld = new Gauge({ name: 'sluice_blocks_held', help: 'Received blocks not yet freed, by holder (executor or driver)', labelNames: ['holder'], registers });
    this.bytesHeld = new Gauge({ name: 'sluice_block_bytes_held', help: 'Bytes of received blocks not yet freed, by holder', labelNames: ['holder'], registers });
    this.kafkaLag = new Gauge({ name: 'sluice_kafka_lag_records', help: 'Records between the newest batch and the log end when it was cut', labelNames: ['topic', 'partition'], registers });
    this.kafkaOffset = new Gauge({ name: 'sluice_kafka_offset', help: 'End offset (exclusive) of the newest batch', labelNames: ['topic', 'partition'], registers });
    this.kafkaRecords = new Counter({ name: 'sluice_kafka_records_total', help: 'Records read from a Kafka partition by completed batches', labelNames: ['topic', 'partition'], registers });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'sluice_driver_' });
  }

  apply(event: UiEvent): void {
    switch (event.type) {
      case 'onReceiverStarted':
      case 'onReceiverError':
      case 'onReceiverStopped': {
        const r = event.payload.receiverInfo;
        this.streamNames.set(r.streamId, r.name);
        this.receiverActive.set({ receiver: r.name }, event.type === 'onReceiverStopped' ? 0 : 1);
        break;
      }
      case 'onBatchSubmitted': {
        const info = event.payload.batchInfo;
        this.running.add(info.batchTime);
        this.activeBatches.set(this.running.size);
        for (const input of Object.values(info.streamIdToInputInfo)) {
          const receiver = this.streamNames.get(input.streamId) ?? `stream-${input.streamId}`;
          this.recordsReceived.inc({ receiver }, input.numRecords);
        }
        break;
      }
      case 'onBatchCompleted': {
        const info = event.payload.batchInfo;
        this.running.delete(info.batchTime);
        this.activeBatches.set(this.running.size);
        this.batchesCompleted.inc();
        this.recordsProcessed.inc(info.numRecords);
        if (Object.values(info.outputOperationInfos).some((o) => o.failureReason !== null)) this.batchesFailed.inc();
        if (info.processingDelay !== null) this.processing.observe(info.processingDelay / 1000);
        if (info.schedulingDelay !== null) this.scheduling.observe(info.schedulingDelay / 1000);
        if (info.totalDelay !== null) this.totalDelay.observe(info.totalDelay / 1000);
        this.kafkaRanges(info.streamIdToInputInfo);
        break;
      }
      case 'onOutputOperationCompleted':
        if (event.payload.outputOperationInfo.failureReason !== null) this.outputOpsFailed.inc();
        break;
      case 'onTaskEnd': {
        const t = event.payload.taskInfo;
        this.tasks.inc({ executor: t.executorId || 'none', status: t.successful ? 'success' : 'failed' });
        if (t.successful) this.taskRun.observe(t.runMs / 1000);
        break;
      }
      case 'onExecutorAdded':
        this.executors.add(event.payload.executorId);
        this.executorsActive.set(this.executors.size);
        break;
      case 'onExecutorRemoved':
        this.executors.delete(event.payload.executorId);
        this.executorsActive.set(this.executors.size);
        this.executorMemory.remove({ executor: event.payload.executorId });
        this.executorRunning.remove({ executor: event.payload.executorId });
        break;
      case 'onExecutorHeartbeat': {
        const hb = event.payload.heartbeat;
        this.executorMemory.set({ executor: hb.executorId }, hb.memoryBytes);
        this.executorRunning.set({ executor: hb.executorId }, hb.runningTasks);
        break;
      }
      case 'onStatusSnapshot': {
        const s = event.payload;
        for (const r of s.receivers) {
          for (const [kind, count] of Object.entries(r.errorCounts)) {
            const key = `${r.name}\u0000${kind}`;
            const seen = this.errorCounts.get(key) ?? 0;
            if (count > seen) this.receiverErrors.inc({ receiver: r.name, kind }, count - seen);
            this.errorCounts.set(key, Math.max(seen, count));
          }
        }
        this.blocksHeld.reset();
        this.bytesHeld.reset();
        for (const [holder, h] of Object.entries(s.blocksHeld)) {
          this.blocksHeld.set({ holder }, h.blocks);
          this.bytesHeld.set({ holder }, h.bytes);
        }
        break;
      }
      default:
        break;
    }
  }

  private kafkaRanges(inputs: Record<number, { metadata?: Record<string, unknown> }>): void {
    for (const input of Object.values(inputs)) {
      const offsets = input.metadata?.['offsets'] as
        | { topic: string; partition: number; fromOffset: number; untilOffset: number; logEndOffset?: number }[]
        | undefined;
      if (!Array.isArray(offsets)) continue;
      for (const o of offsets) {
        const labels = { topic: o.topic, partition: String(o.partition) };
        this.kafkaOffset.set(labels, o.untilOffset);
        this.kafkaLag.set(labels, Math.max(0, (o.logEndOffset ?? o.untilOffset) - o.untilOffset));
        this.kafkaRecords.inc(labels, o.untilOffset - o.fromOffset);
      }
    }
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
