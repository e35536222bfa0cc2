// What an executor's main thread needs of the engine before it knows the job:
// `@sluice/streaming/executor-support`. The main thread keeps the driver connection, the
// block server and the shuffle outputs, and runs no task; importing the whole engine
// (`./internal`) there would take a core from the task threads' start-up.
export { executorEnvOf } from './context/conf.js';
export type { StreamingConf } from './context/conf.js';
export { FetchFailedError } from './scheduler/fetch-failed-error.js';
export type { MapOutputLocation } from './scheduler/map-output-tracker.js';
export { ShuffleOutputStore } from './storage/shuffle-output-store.js';
export { batchTimeOf } from './storage/partition-cache.js';
export type { CachedPartitionId } from './storage/partition-cache.js';
export type { ShippedBlock } from './rdd/task-env.js';
