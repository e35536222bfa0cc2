import { CacheTracker } from './cache-tracker.js';
import { MapOutputTracker } from './map-output-tracker.js';
import type { TaskOutcome } from './task-backend.js';

/**
 * What the driver knows of the data its executors keep: shuffle map outputs and cached
 * partitions of persisted RDDs. Fed by task outcomes, executor losses and finished
 * batches; read by the DAG scheduler to skip finished map stages, to tell reduce tasks
 * where their map outputs are, and to place tasks next to cached partitions.
 */
export class BlockTracking {
  readonly mapOutputs = new MapOutputTracker();
  readonly cache = new CacheTracker();

  taskEnded(outcome: TaskOutcome): void {
    if (!outcome.cacheReport) return;
    this.cache.added(outcome.executorId, outcome.cacheReport.added);
    this.cache.removed(outcome.executorId, outcome.cacheReport.removed);
  }

  executorLost(executorId: string): void {
    this.mapOutputs.executorLost(executorId);
    this.cache.executorLost(executorId);
  }

  /** Everything of batches up to `time` is no longer needed (see TaskBackend.batchDone). */
  batchesDoneUpTo(time: number): void {
    this.mapOutputs.removeBatchesUpTo(time);
    this.cache.removeBatchesUpTo(time);
  }
}
