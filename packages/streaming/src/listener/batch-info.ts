/** What the engine reports about batches, receivers and output operations (Spark's names). */
export interface StreamInputInfo {
  streamId: number;
  numRecords: number;
  bytes: number;
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
