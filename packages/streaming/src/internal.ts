// Everything the engine has, for Sluice's own packages (the executor, the CLI, connectors,
// the UI, the test harness): `@sluice/streaming/internal`. Jobs import `@sluice/streaming`,
// whose surface is small and documented; what is here and not there may change at any time.
export * from './index';
// Installs the RDD and DStream operators on their prototypes (see those files).
import './rdd/rdd-operations';
import './dstream/dstream-operators';
import './state/state-operators';

export * from './broadcast/broadcast';
export * from './context/conf';
export * from './context/streaming-context';
export * from './converters/converter';
export * from './dstream/dstream';
export * from './dstream/dstream-graph';
export * from './dstream/graph-signature';
export * from './dstream/input-dstream';
export * from './dstream/output-dstream';
export * from './dstream/receiver-input-dstream';
export * from './dstream/queue-input-dstream';
export * from './dstream/windowed-dstream';
export * from './listener/batch-info';
export * from './listener/listener-bus';
export * from './listener/streaming-listener';
export * from './rdd/action';
export * from './rdd/aggregator';
export * from './rdd/block-rdd';
export * from './rdd/cogrouped-rdd';
export * from './rdd/local-collection-rdd';
export * from './rdd/input-rdd';
export * from './rdd/parallel-collection-rdd';
export * from './rdd/key-hash';
export { gatherChunks } from './rdd/partition-chunks';
export * from './rdd/partitioner';
export * from './rdd/rdd';
export * from './rdd/rdd-scope';
export * from './rdd/shuffled-rdd';
export * from './rdd/storage-level';
export * from './rdd/task-env';
export * from './receiver/receiver';
export * from './receiver/receiver-supervisor';
export * from './receiver/receiver-status';
export * from './receiver/socket-receiver';
export * from './receiver/raw-socket-receiver';
export * from './receiver/block-builder';
export * from './receiver/rate-limiter';
export * from './receiver/device/device-ack';
export * from './receiver/device/device-receiver';
export * from './receiver/device/device-fault-tally';
export * from './receiver/device/device-stream';
export type { DeviceFrameRecord } from './receiver/device/device-record';
export type { DeviceMode, DeviceSourceKind } from './receiver/device/device-source';
export * from './storage/partition-cache';
export * from './storage/size-estimator';
export * from './scheduler/block-tracking';
export * from './scheduler/cache-tracker';
export * from './scheduler/fetch-failed-error';
export * from './scheduler/map-output-tracker';
export * from './storage/shuffle-output-store';
export * from './scheduler/lineage-replay';
export * from './scheduler/local-backend';
export * from './scheduler/receiver-host';
export * from './scheduler/task-backend';
export * from './scheduler/task-failed-error';
export * from './scheduler/task-runner';
export * from './util/byte-size';
export * from './util/clock';
export * from './scheduler/rate/pid-rate-estimator';
export { RateController } from './scheduler/rate/rate-controller';
export * from './util/duration';
export * from './checkpoint/checkpoint-cut';
export * from './checkpoint/checkpointer';
export * from './state/state';
export * from './state/state-spec';
export * from './state/state-map';
export * from './state/map-with-state-dstream';
export * from './state/state-dstream';
export type { MappingFunction, MapWithStateRecord } from './state/map-with-state-rdd';
export type { UpdateFunction } from './state/update-state-rdd';
export * from './util/format-record';

export type { StreamingJob } from './context/streaming-job';

// ---- recovery: metadata checkpoints and the receivers' write-ahead log (docs/reliability.md)
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  readLatestMetadataCheckpoint,
  metadataDir,
  type MetadataCheckpoint,
  type ReadCheckpoint,
} from './checkpoint/metadata-checkpoint';
export { writeFileDurably } from './checkpoint/durable-file';
export { ReceivedBlockLog, logDir, type WalRef } from './wal/received-block-log';
