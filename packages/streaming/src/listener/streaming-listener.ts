import type { BatchInfo, ExecutorHeartbeatInfo, OutputOperationInfo, ReceiverInfo, StageCompletedInfo, TaskEndInfo } from './batch-info.js';

/** Spark's StreamingListener: implement the events you care about. */
export interface StreamingListener {
  onStreamingStarted?(event: { time: number }): void;
  onReceiverStarted?(event: { receiverInfo: ReceiverInfo }): void;
  onReceiverError?(event: { receiverInfo: ReceiverInfo }): void;
  onReceiverStopped?(event: { receiverInfo: ReceiverInfo }): void;
  onBatchSubmitted?(event: { batchInfo: BatchInfo }): void;
  onBatchStarted?(event: { batchInfo: BatchInfo }): void;
  onBatchCompleted?(event: { batchInfo: BatchInfo }): void;
  onOutputOperationStarted?(event: { outputOperationInfo: OutputOperationInfo }): void;
  onOutputOperationCompleted?(event: { outputOperationInfo: OutputOperationInfo }): void;
  /** Sluice's own: an executor joined or was lost. */
  onExecutorAdded?(event: { executorId: string; host: string; cores: number }): void;
  onExecutorRemoved?(event: { executorId: string; reason: string }): void;
  /** Sluice's own, for UIs and metrics: a task came back, a stage finished, an executor's heartbeat. */
  onTaskEnd?(event: { taskInfo: TaskEndInfo }): void;
  onStageCompleted?(event: { stageInfo: StageCompletedInfo }): void;
  onExecutorHeartbeat?(event: { heartbeat: ExecutorHeartbeatInfo }): void;
}

export type StreamingEvent = {
  [K in keyof StreamingListener]-?: { type: K; payload: Parameters<NonNullable<StreamingListener[K]>>[0] };
}[keyof StreamingListener];
