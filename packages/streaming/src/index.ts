// The API a job uses: `import { ... } from '@sluice/streaming'`. Deliberately small; each
// name here is documented (README, docs/). The engine's internals (scheduler, lineage
// replay, block and shuffle stores, checkpoint files) are in '@sluice/streaming/internal'
// for Sluice's own packages and may change at any time.

// Installs the RDD and DStream operators on their prototypes (see those files).
import './rdd/rdd-operations';
import './dstream/dstream-operators';
import './state/state-operators';

// ---- the context and its settings (docs/configuration.md)
export { StreamingContext, type ContextState, type ContextOptions } from './context/streaming-context';
export type { StreamingJob } from './context/streaming-job';
export { resolveConf, parseMaster, type StreamingConf, type StreamingConfInput, type Master } from './context/conf';
export { parseDuration, formatDuration, type Duration } from './util/duration';
export { parseByteSize } from './util/byte-size';

// ---- streams and the RDDs of each batch
export { DStream } from './dstream/dstream';
export { RDD } from './rdd/rdd';
export { StorageLevel } from './rdd/storage-level';
export { type Partitioner, HashPartitioner, RoundRobinPartitioner } from './rdd/partitioner';
export { Broadcast, type BroadcastValue } from './broadcast/broadcast';
export { Converters, type Converter } from './converters/converter';

// ---- state (docs/state.md)
export type { State } from './state/state';
export { StateSpec } from './state/state-spec';
export type { MappingFunction, MapWithStateRecord } from './state/map-with-state-rdd';
export type { UpdateFunction } from './state/update-state-rdd';
export type { MapWithStateDStream } from './state/map-with-state-dstream';
export type { StateDStream } from './state/state-dstream';

// ---- receivers (docs/receivers.md)
export { Receiver } from './receiver/receiver';
export { ReceiverSupervisor } from './receiver/receiver-supervisor';
export type { ReceiverStatus } from './receiver/receiver-status';
export { SocketReceiver } from './receiver/socket-receiver';
export { RawSocketReceiver } from './receiver/raw-socket-receiver';
export { DeviceReceiver, type DeviceReceiverOptions, type DeviceRecord } from './receiver/device/device-receiver';
export { deviceStream } from './receiver/device/device-stream';
export type { DeviceFaultTally, FaultTotal } from './receiver/device/device-fault-tally';
export type { DeviceFrameRecord } from './receiver/device/device-record';
export type { DeviceMode, DeviceSourceKind } from './receiver/device/device-source';

// ---- listeners and the events they get (docs/ui.md)
export type * from './listener/batch-info';
export type { StreamingListener, StreamingEvent } from './listener/streaming-listener';
