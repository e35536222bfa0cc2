/** What the engine reports about batches, receivers and output operations (Spark's names). */
export interface StreamInputInfo {
  streamId: number;
  numRecords: number;
  bytes: number;
  /**
   * Backpressure: the rate (records per second) the stream's controller had set when the
   * batch was cut; absent without backpressure or before the first estimate.
   */
  rateLimit?: number;
  /** Kafka offset ranges and the like. */
  metadata?: Record<string, unknown>;
}

export interface TaskFailure {
  message: string;
  stack: string;
  partition: number;
  executorId: string;
  stage: string;
}

export interface OutputOperationInfo {
  batchTime: number;
  id: number;
  name: string;
  description: string;
  startTime: number | null;
  endTime: number | null;
  failureReason: string | null;
  failure: TaskFailure | null;
}

export interface BatchInfo {
  batchTime: number;
  streamIdToInputInfo: Record<number, StreamInputInfo>;
  submissionTime: number;
  processingStartTime: number | null;
  processingEndTime: number | null;
  outputOperationInfos: Record<number, OutputOperationInfo>;
  numRecords: number;
  /** processingStartTime - submissionTime */
  schedulingDelay: number | null;
  /** processingEndTime - processingStartTime */
  processingDelay: number | null;
  /** schedulingDelay + processingDelay */
  totalDelay: number | null;
  /**
   * How long after batchTime the batch clock ticked for this batch: near 0 normally;
   * more when the driver was stalled or generating took longer than a batch duration
   * (the batch keeps its time, and the lateness shows here rather than nowhere).
   */
  tickDelay?: number;
}

export interface ReceiverInfo {
  streamId: number;
  name: string;
  active: boolean;
  location: string;
  executorId: string;
  lastErrorMessage: string;
  lastError: string;
  lastErrorTime: number;
}

/** One task of a stage, as it ended (Spark's TaskInfo, reduced to what a UI shows). */
export interface TaskEndInfo {
  batchTime: number;
  outputOp: number;
  /** The action within the output operation (Spark's job). */
  jobId: number;
  stageId: string;
  partition: number;
  executorId: string;
  /** When the driver submitted the task, and when its outcome came back. */
  launchTime: number;
  finishTime: number;
  /** Time the executor spent running it (0 when it failed). */
  runMs: number;
  recordsRead: number;
  successful: boolean;
  errorMessage: string | null;
}

/** A stage (one task per partition, up to a shuffle) of one job, when it finished. */
export interface StageCompletedInfo {
  batchTime: number;
  outputOp: number;
  jobId: number;
  /** The action that made the job: collect, count, foreachPartition, ... */
  actionKind: string;
  stageId: string;
  name: string;
  numTasks: number;
  submissionTime: number;
  completionTime: number;
  failureReason: string | null;
}

/** An executor's periodic sign of life. */
export interface ExecutorHeartbeatInfo {
  executorId: string;
  time: number;
  runningTasks: number;
  /** Resident memory of the executor process. */
  memoryBytes: number;
}
