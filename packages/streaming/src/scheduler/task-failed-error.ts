import type { TaskFailure } from '../listener/batch-info.js';

/** A job failed because one of its tasks did; carries where and why. */
export class TaskFailedError extends Error {
  constructor(readonly failure: TaskFailure) {
    super(
      `task for partition ${failure.partition} of ${failure.stage} failed on executor ${failure.executorId}: ${failure.message}`,
    );
    this.name = 'TaskFailedError';
  }
}
