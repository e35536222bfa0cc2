// Everything the engine has, for Sluice's own packages (the executor, the CLI, connectors,
// the UI, the test harness): `@sluice/streaming/internal`. Jobs import `@sluice/streaming`,
// whose surface is small and documented; what is here and not there may change at any time.
export * from './index.js';
// Installs the RDD and DStream operators on their prototypes (see those files).
import './rdd/rdd-operations.js';
import './dstream/dstream-operators.js';
import './state/state-operators.js';

export * from './broadcast/broadcast.js';
export * from './context/conf.js';
export * from './context/import-job-module.js';
export * from './context/streaming-context.js';
export * from './converters/converter.js';
export * from './dstream/dstream.js';
export * from './dstream/dstream-graph.js';
export * from './dstream/graph-signature.js';
export * from './dstream/input-dstream.js';
export * from './dstream/output-dstream.js';
export * from './dstream/receiver-input-dstream.js';
export * from './dstream/queue-input-dstream.js';
export * from './dstream/windowed-dstream.js';
export * from './listener/batch-info.js';
export * from './listener/listener-bus.js';
export * from './listener/streaming-listener.js';
export * from './rdd/action.js';
export * from './rdd/aggregator.js';
export * from './rdd/block-rdd.js';
export * from './rdd/cogrouped-rdd.js';
export * from './rdd/local-collection-rdd.js';
export * from './rdd/input-rdd.js';
export * from './rdd/parallel-collection-rdd.js';
export * from './rdd/key-hash.js';
export { gatherChunks } from './rdd/partition-chunks.js';
export * from './rdd/partitioner.js';
export * from './rdd/rdd.js';
export * from './rdd/rdd-scope.js';
export * from './rdd/shuffled-rdd.js';
export * from './rdd/storage-level.js';
export * from './rdd/task-env.js';
export * from './receiver/receiver.js';
export * from './receiver/receiver-supervisor.js';
export * from './receiver/receiver-status.js';
export * from './receiver/socket-receiver.js';
export * from './receiver/raw-socket-receiver.js';
export * from './receiver/block-builder.js';
export * from './receiver/rate-limiter.js';
export * from './receiver/device/device-ack.js';
export * from './receiver/device/device-receiver.js';
export * from './receiver/device/device-fault-tally.js';
export * from './receiver/device/device-stream.js';
export type { DeviceFrameRecord } from './receiver/device/device-record.js';
export type { DeviceMode, DeviceSourceKind } from './receiver/device/device-source.js';
export * from './storage/partition-cache.js';
export * from './storage/size-estimator.js';
export * from './scheduler/block-tracking.js';
export * from './scheduler/cache-tracker.js';
export * from './scheduler/fetch-failed-error.js';
export * from './scheduler/map-output-tracker.js';
export * from './storage/shuffle-output-store.js';
export * from './scheduler/lineage-replay.js';
export * from './scheduler/local-backend.js';
export * from './scheduler/receiver-host.js';
export * from './scheduler/task-backend.js';
export * from './scheduler/task-failed-error.js';
export * from './scheduler/task-runner.js';
export * from './util/byte-size.js';
export * from './util/clock.js';
export * from './scheduler/rate/pid-rate-estimator.js';
export { RateController } from './scheduler/rate/rate-controller.js';
export * from './util/duration.js';
export * from './util/original-stack.js';
export * from './checkpoint/checkpoint-cut.js';
export * from './checkpoint/checkpointer.js';
export * from './state/state.js';
export * from './state/state-spec.js';
export * from './state/state-map.js';
export * from './state/map-with-state-dstream.js';
export * from './state/state-dstream.js';
export type { MappingFunction, MapWithStateRecord } from './state/map-with-state-rdd.js';
export type { UpdateFunction } from './state/update-state-rdd.js';
export * from './util/format-record.js';

export type { StreamingJob } from './context/streaming-job.js';

// ---- recovery: metadata checkpoints and the receivers' write-ahead log (docs/reliability.md)
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  readLatestMetadataCheckpoint,
  metadataDir,
  type MetadataCheckpoint,
  type ReadCheckpoint,
} from './checkpoint/metadata-checkpoint.js';
export { writeFileDurably } from './checkpoint/durable-file.js';
export { ReceivedBlockLog, logDir, type WalRef } from './wal/received-block-log.js';
