import type { Action } from './action.js';
import type { RDD } from './rdd.js';

/**
 * Runs an action over all partitions of an RDD. The driver's runner schedules the stages
 * onto executors; an executor's runner only records which action the user function
 * reached (see the executor's lineage replay).
 */
export interface JobRunner {
  runJob<T, P, R>(rdd: RDD<T>, action: Action<T, P, R>): Promise<R>;
}
