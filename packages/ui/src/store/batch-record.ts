import type { BatchInfo, StageCompletedInfo, TaskEndInfo } from '@sluice/streaming';

export type BatchStatus = 'QUEUED' | 'PROCESSING' | 'COMPLETED';

/** A job of an output operation: one action, cut into stages. */
export interface JobRecord {
  outputOp: number;
  jobId: number;
  actionKind: string;
  stages: StageCompletedInfo[];
}

/** What the UI keeps of one batch. Jobs and tasks are dropped first when old (see UiStore). */
export interface BatchRecord {
  info: BatchInfo;
  status: BatchStatus;
  jobs: JobRecord[];
  tasks: TaskEndInfo[];
  /** Tasks beyond the per-batch cap, counted but not kept. */
  tasksNotKept: number;
  /** False once the batch's jobs and tasks were let go to bound memory. */
  detailKept: boolean;
}

export function failedOutputOps(info: BatchInfo): number {
  let n = 0;
  for (const op of Object.values(info.outputOperationInfos)) if (op.failureReason !== null) n++;
  return n;
}

export function completedOutputOps(info: BatchInfo): number {
  let n = 0;
  for (const op of Object.values(info.outputOperationInfos)) if (op.endTime !== null) n++;
  return n;
}

export function firstFailureReason(info: BatchInfo): string | null {
  for (const op of Object.values(info.outputOperationInfos)) if (op.failureReason !== null) return op.failureReason;
  return null;
}
