/**
 * Thrown by a task's environment when a map output the task reads cannot be fetched
 * from the executor the driver named (it died, or no longer has it). The task fails with
 * a fetch failure; the driver then reruns the lost map tasks and the task (Spark's
 * FetchFailedException), rather than failing the job.
 */
export class FetchFailedError extends Error {
  constructor(
    readonly shuffleId: string,
    readonly mapPartition: number,
    readonly executorId: string,
    reason: string,
  ) {
    super(`could not fetch map output ${mapPartition} of shuffle ${shuffleId} from executor ${executorId}: ${reason}`);
    this.name = 'FetchFailedError';
  }
}
