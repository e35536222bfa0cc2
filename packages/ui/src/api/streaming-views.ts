import type { BatchInfo } from '@sluice/streaming';
import { completedOutputOps, failedOutputOps, firstFailureReason, type BatchRecord } from '../store/batch-record.js';
import type { UiStore } from '../store/ui-store.js';

/** The JSON the REST API returns, in the shape of Spark's streaming REST API (v1). */

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export function statisticsView(store: UiStore) {
  const r = store.retainedStats;
  const receivers = [...store.receivers.values()];
  const active = receivers.filter((x) => x.state === 'ACTIVE').length;
  const avg = (sum: number) => (r.count > 0 ? sum / r.count : null);
  let activeBatches = 0;
  for (const b of store.batches.values()) if (b.status !== 'COMPLETED') activeBatches++;
  return {
    startTime: iso(store.streamingStartTime ?? store.app.startTime),
    endTime: iso(store.endTime),
    batchDuration: store.app.batchDurationMs,
    numReceivers: receivers.length,
    numActiveReceivers: active,
    numInactiveReceivers: receivers.length - active,
    numTotalCompletedBatches: store.totals.completedBatches,
    numRetainedCompletedBatches: r.count,
    numActiveBatches: activeBatches,
    numProcessedRecords: store.totals.processedRecords,
    numReceivedRecords: store.totals.receivedRecords,
    numFailedBatches: store.totals.failedBatches,
    avgInputRate: r.count > 0 ? r.records / ((r.count * store.app.batchDurationMs) / 1000) : null,
    avgSchedulingDelay: avg(r.schedulingDelay),
    avgProcessingTime: avg(r.processingTime),
    avgTotalDelay: avg(r.totalDelay),
  };
}

export function batchView(b: BatchRecord, batchDurationMs: number) {
  const i = b.info;
  const ops = Object.values(i.outputOperationInfos);
  const done = completedOutputOps(i);
  return {
    batchId: i.batchTime,
    batchTime: iso(i.batchTime),
    status: b.status,
    batchDuration: batchDurationMs,
    inputSize: i.numRecords,
    schedulingDelay: i.schedulingDelay,
    processingTime: i.processingDelay,
    totalDelay: i.totalDelay,
    numActiveOutputOps: ops.filter((o) => o.startTime !== null && o.endTime === null).length,
    numCompletedOutputOps: done,
    numFailedOutputOps: failedOutputOps(i),
    numTotalOutputOps: ops.length,
    firstFailureReason: firstFailureReason(i),
  };
}

export function operationsView(b: BatchRecord) {
  return Object.values(b.info.outputOperationInfos).map((op) => ({
    outputOpId: op.id,
    name: op.name,
    description: op.description,
    startTime: iso(op.startTime),
    endTime: iso(op.endTime),
    duration: op.startTime !== null && op.endTime !== null ? op.endTime - op.startTime : null,
    failureReason: op.failureReason,
    failure: op.failure,
    jobIds: b.jobs.filter((j) => j.outputOp === op.id).map((j) => j.jobId),
  }));
}

/** Everything the Batch page shows: the batch, its inputs, output operations, jobs, stages and tasks. */
export function batchDetailView(b: BatchRecord, batchDurationMs: number) {
  return {
    ...batchView(b, batchDurationMs),
    submissionTime: iso(b.info.submissionTime),
    processingStartTime: iso(b.info.processingStartTime),
    processingEndTime: iso(b.info.processingEndTime),
    inputs: Object.values(b.info.streamIdToInputInfo).map((s) => ({
      streamId: s.streamId,
      records: s.numRecords,
      bytes: s.bytes,
      metadata: s.metadata ?? null,
    })),
    outputOperations: operationsView(b),
    detailKept: b.detailKept,
    jobs: b.jobs.map((j) => ({
      outputOpId: j.outputOp,
      jobId: j.jobId,
      action: j.actionKind,
      stages: j.stages.map((s) => ({
        stageId: s.stageId,
        name: s.name,
        numTasks: s.numTasks,
        submissionTime: iso(s.submissionTime),
        completionTime: iso(s.completionTime),
        duration: s.completionTime - s.submissionTime,
        failureReason: s.failureReason,
      })),
    })),
    tasks: b.tasks.map((t) => ({
      outputOpId: t.outputOp,
      jobId: t.jobId,
      stageId: t.stageId,
      partition: t.partition,
      executorId: t.executorId,
      launchTime: iso(t.launchTime),
      duration: t.finishTime - t.launchTime,
      runTime: t.runMs,
      recordsRead: t.recordsRead,
      status: t.successful ? 'SUCCESS' : 'FAILED',
      errorMessage: t.errorMessage,
    })),
    tasksNotKept: b.tasksNotKept,
  };
}

export function receiversView(store: UiStore) {
  const seconds = store.app.batchDurationMs / 1000;
  const recent = [...store.batches.values()].filter((b) => b.status === 'COMPLETED').slice(-60);
  return [...store.receivers.values()].map((r) => {
    const rates = recent.map((b) => [b.info.batchTime, (b.info.streamIdToInputInfo[r.info.streamId]?.numRecords ?? 0) / seconds] as const);
    return {
      streamId: r.info.streamId,
      streamName: r.info.name,
      isActive: r.state === 'ACTIVE',
      state: r.state,
      executorId: r.info.executorId,
      executorHost: r.info.location,
      lastErrorTime: r.info.lastErrorTime > 0 ? iso(r.info.lastErrorTime) : null,
      lastErrorMessage: r.info.lastErrorMessage || null,
      lastError: r.info.lastError || null,
      avgEventRate: rates.length ? rates.reduce((s, x) => s + x[1], 0) / rates.length : null,
      eventRates: rates,
      recordsStored: r.recordsStored,
      errorCounts: r.errorCounts,
    };
  });
}

export function executorsView(store: UiStore) {
  const now = store.endTime ?? Date.now();
  return [...store.executors.values()].map((e) => ({
    id: e.id,
    hostPort: e.host,
    isActive: e.active,
    totalCores: e.cores,
    activeTasks: e.activeTasks,
    completedTasks: e.completedTasks,
    failedTasks: e.failedTasks,
    totalTasks: e.completedTasks + e.failedTasks,
    totalDuration: e.totalDurationMs,
    recordsRead: e.recordsRead,
    memoryUsed: e.memoryBytes,
    lastHeartbeat: iso(e.lastHeartbeat),
    heartbeatAgeMs: e.lastHeartbeat === null ? null : Math.max(0, now - e.lastHeartbeat),
    blocksHeld: e.blocksHeld,
    bytesHeld: e.bytesHeld,
    addTime: iso(e.addTime || null),
    removeTime: iso(e.removeTime),
    removeReason: e.removeReason,
  }));
}

export function kafkaView(store: UiStore) {
  return [...store.kafka.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/**
 * The retained completed batches as columns (one array per figure), which the charts
 * draw: far smaller than 10,000 batch objects. Rates are records per second.
 */
export function timelineView(store: UiStore) {
  const seconds = store.app.batchDurationMs / 1000;
  const cols = {
    time: [] as number[],
    inputRate: [] as number[],
    schedulingDelay: [] as (number | null)[],
    processingTime: [] as (number | null)[],
    totalDelay: [] as (number | null)[],
    streams: {} as Record<string, number[]>,
  };
  const done: BatchInfo[] = [];
  for (const b of store.batches.values()) if (b.status === 'COMPLETED') done.push(b.info);
  const streamIds = new Set<number>();
  for (const i of done) for (const id of Object.keys(i.streamIdToInputInfo)) streamIds.add(Number(id));
  for (const id of streamIds) cols.streams[String(id)] = [];
  for (const i of done) {
    cols.time.push(i.batchTime / 1000);
    cols.inputRate.push(i.numRecords / seconds);
    cols.schedulingDelay.push(i.schedulingDelay);
    cols.processingTime.push(i.processingDelay);
    cols.totalDelay.push(i.totalDelay);
    for (const id of streamIds) cols.streams[String(id)]!.push((i.streamIdToInputInfo[id]?.numRecords ?? 0) / seconds);
  }
  return cols;
}

export function environmentView(store: UiStore) {
  return { appId: store.app.appId, appName: store.app.appName, conf: store.app.conf, runtime: store.app.runtime };
}
