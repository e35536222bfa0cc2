import type { BatchInfo } from '@sluice/streaming';
import type { UiEvent } from '../ui-events.js';

/**
 * The events of a run of `batches` batches of one receiver, as the engine posts them:
 * for tests of retention and of the pages with many batches. Every 100th batch fails.
 */
export function* syntheticRun(options: { batches: number; start?: number; batchMs?: number; appId?: string }): Generator<UiEvent> {
  const batchMs = options.batchMs ?? 1000;
  const start = options.start ?? 1_700_000_000_000;
  yield {
    type: 'onApplicationStart',
    payload: { appId: options.appId ?? 'app-synthetic', appName: 'synthetic', startTime: start, batchDurationMs: batchMs, conf: { batchDurationMs: batchMs }, runtime: {} },
  };
  yield { type: 'onStreamingStarted', payload: { time: start } };
  yield {
    type: 'onReceiverStarted',
    payload: {
      receiverInfo: { streamId: 0, name: 'SocketReceiver-0', active: true, location: 'driver', executorId: 'driver', lastErrorMessage: '', lastError: '', lastErrorTime: 0 },
    },
  };
  for (let i = 0; i < options.batches; i++) yield* syntheticBatch(start + (i + 1) * batchMs, i);
}

export function* syntheticBatch(time: number, i: number): Generator<UiEvent> {
  const failed = i % 100 === 99;
  const records = 100 + (i % 17);
  const info: BatchInfo = {
    batchTime: time,
    streamIdToInputInfo: { 0: { streamId: 0, numRecords: records, bytes: records * 20 } },
    submissionTime: time + 1,
    processingStartTime: time + 2,
    processingEndTime: time + 12 + (i % 7),
    outputOperationInfos: {
      0: {
        batchTime: time,
        id: 0,
        name: 'foreachRDD',
        description: 'job (job.ts:1:1)',
        startTime: time + 2,
        endTime: time + 12 + (i % 7),
        failureReason: failed ? `Error: synthetic failure ${i}\n    at job (job.ts:1:1)` : null,
        failure: failed ? { message: `Error: synthetic failure ${i}`, stack: '    at job (job.ts:1:1)', partition: 0, executorId: '0', stage: 'BlockRDD' } : null,
      },
    },
    numRecords: records,
    schedulingDelay: 1,
    processingDelay: 10 + (i % 7),
    totalDelay: 11 + (i % 7),
  };
  yield { type: 'onBatchSubmitted', payload: { batchInfo: { ...info, processingStartTime: null, processingEndTime: null, schedulingDelay: null, processingDelay: null, totalDelay: null } } };
  yield {
    type: 'onTaskEnd',
    payload: {
      taskInfo: {
        batchTime: time,
        outputOp: 0,
        jobId: 0,
        stageId: 'd0.0',
        partition: 0,
        executorId: '0',
        launchTime: time + 2,
        finishTime: time + 10,
        runMs: 7,
        recordsRead: records,
        successful: !failed,
        errorMessage: failed ? 'synthetic' : null,
      },
    },
  };
  yield {
    type: 'onStageCompleted',
    payload: {
      stageInfo: { batchTime: time, outputOp: 0, jobId: 0, actionKind: 'foreachPartition', stageId: 'd0.0', name: 'BlockRDD', numTasks: 1, submissionTime: time + 2, completionTime: time + 10, failureReason: null },
    },
  };
  yield { type: 'onBatchCompleted', payload: { batchInfo: info } };
}
