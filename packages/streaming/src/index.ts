// The API a job uses: `import { ... } from '@sluice/streaming'`. Deliberately small; each
// name here is documented (README, docs/). The engine's internals (scheduler, lineage
// replay, block and shuffle stores, checkpoint files) are in '@sluice/streaming/internal'
// for Sluice's own packages and may change at any time.

// Installs the RDD and DStream operators on their prototypes (see those files).
import './rdd/rdd-operations.js';
import './dstream/dstream-operators.js';
import './state/state-operators.js';

// ---- the context and its settings (docs/configuration.md)
export { StreamingContext, type ContextState, type ContextOptions } from './context/streaming-context.js';
export type { StreamingJob } from './context/streaming-job.js';
export { resolveConf, parseMaster, type StreamingConf, type StreamingConfInput, type Master } from './context/conf.js';
export { parseDuration, formatDuration, type Duration } from './util/duration.js';
export { parseByteSize } from './util/byte-size.js';

// ---- streams and the RDDs of each batch
export { DStream } from './dstream/dstream.js';
export { RDD } from './rdd/rdd.js';
export { StorageLevel } from './rdd/storage-level.js';
export { type Partitioner, HashPartitioner, RoundRobinPartitioner } from './rdd/partitioner.js';
export { Broadcast, type BroadcastValue } from './broadcast/broadcast.js';
export { Converters, type Converter } from './converters/converter.js';

// ---- state (docs/state.md)
export type { State } from './state/state.js';
export { StateSpec } from './state/state-spec.js';
export type { MappingFunction, MapWithStateRecord } from './state/map-with-state-rdd.js';
export type { UpdateFunction } from './state/update-state-rdd.js';
export type { MapWithStateDStream } from './state/map-with-state-dstream.js';
export type { StateDStream } from './state/state-dstream.js';

// ---- receivers (docs/receivers.md)
export { Receiver } from './receiver/receiver.js';
export { ReceiverSupervisor } from './receiver/receiver-supervisor.js';
export type { ReceiverStatus } from './receiver/receiver-status.js';
export { SocketReceiver } from './receiver/socket-receiver.js';
export { RawSocketReceiver } from './receiver/raw-socket-receiver.js';
export { DeviceReceiver, type DeviceReceiverOptions, type DeviceRecord } from './receiver/device/device-receiver.js';
export { deviceStream } from './receiver/device/device-stream.js';
export type { DeviceFaultTally, FaultTotal } from './receiver/device/device-fault-tally.js';
export type { DeviceFrameRecord } from './receiver/device/device-record.js';
export type { DeviceMode, DeviceSourceKind } from './receiver/device/device-source.js';

// ---- listeners and the events they get (docs/ui.md)
export type * from './listener/batch-info.js';
export type { StreamingListener, StreamingEvent } from './listener/streaming-listener.js';
