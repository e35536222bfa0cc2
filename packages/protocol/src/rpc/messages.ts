import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/**
 * TypeScript views of the messages in sluice.proto. The .proto file is the source of
 * truth; protobufjs compiles it at load time into encoders and decoders.
 */
export interface RegisterExecutor { executorId: string; host: string; cores: number; pid: number; blockHost: string; blockPort: number; sluiceVersion?: string }
export interface ExecutorRegistered {
  executorId: string;
  jobModule: string;
  jobArgs: string[];
  confJson: string;
  bundleHash?: string;
  bundleExternalsJson?: string;
  sluiceVersion?: string;
}
export interface FetchJobBundle { hash: string }
export interface JobBundle { hash: string; error: string }
export interface RegisterRejected { reason: string }
export interface ExecutorReady { ok: boolean; error: string; graphSignature: string }
export interface BlockMessage { blockId: string; encoding: string; count: number; payloadLength: number; offsets: Uint8Array; local?: boolean }
export interface InputPartitionMessage { rddId: string; partition: number; blocks: BlockMessage[] }
export interface MapOutputLocationMessage { mapPartition: number; executorId: string; address: string }
export interface ShuffleInputMessage { shuffleId: string; reducePartition: number; maps: MapOutputLocationMessage[] }
export interface FetchFailureMessage { shuffleId: string; mapPartition: number; executorId: string }
export interface CachedPartitionMessage { rddId: string; partition: number }
export interface FetchShuffleBlocks { requestId: number; shuffleId: string; reducePartition: number; mapPartitions: number[] }
export interface ShuffleBlocks { requestId: number; error: string; sizes: number[] }
export interface LaunchTask {
  taskId: number;
  attempt: number;
  batchTime: number;
  outputOp: number;
  actionIndex: number;
  actionKind: string;
  stageRdd: string;
  partition: number;
  shuffleId: string;
  inputsJson: string;
  inputPartitions: InputPartitionMessage[];
  shuffleInputs: ShuffleInputMessage[];
  priorActionResults: Uint8Array;
  zeroTime: number;
  broadcasts: { id: number; version: number; value: Uint8Array }[];
}
export interface TaskFinished {
  taskId: number;
  ok: boolean;
  result: Uint8Array;
  errorMessage: string;
  errorStack: string;
  runMs: number;
  recordsRead: number;
  hasMapOutput: boolean;
  mapOutputSizes: number[];
  /** Absent when not set (decoding leaves unset message fields out). */
  fetchFailed?: FetchFailureMessage | null;
  cacheAdded: CachedPartitionMessage[];
  cacheRemoved: CachedPartitionMessage[];
  shuffleBytesLocal: number;
  shuffleBytesRemote: number;
  killed: boolean;
}
export interface RunningTaskMessage { taskId: number; runningMs: number }
export interface Heartbeat { runningTasks: number; rssMb: number; running: RunningTaskMessage[] }
export interface KillTask { taskId: number; reason: string }
export interface BatchDone { batchTime: number; cachedUpTo: number }
export interface Shutdown { reason: string }
export interface StartReceiver { streamId: number; replication: number }
export interface StopReceiver { streamId: number; reason: string }
export interface BlockAdded { streamId: number; block: BlockMessage; replicaAttached: boolean }
export interface ReceiverReport { streamId: number; event: string; receiverInfoJson: string; errorCountsJson: string }
export interface RemoveBlocks { blockIds: string[] }
export interface BlockReplicaPart { blockId: string }
export interface UpdateReceiverRate { streamId: number; recordsPerSecond: number }

export interface Envelope {
  registerExecutor?: RegisterExecutor;
  executorRegistered?: ExecutorRegistered;
  launchTask?: LaunchTask;
  taskFinished?: TaskFinished;
  heartbeat?: Heartbeat;
  killTask?: KillTask;
  shutdown?: Shutdown;
  batchDone?: BatchDone;
  registerRejected?: RegisterRejected;
  executorReady?: ExecutorReady;
  startReceiver?: StartReceiver;
  stopReceiver?: StopReceiver;
  blockAdded?: BlockAdded;
  receiverReport?: ReceiverReport;
  removeBlocks?: RemoveBlocks;
  blockReplicaPart?: BlockReplicaPart;
  fetchShuffleBlocks?: FetchShuffleBlocks;
  shuffleBlocks?: ShuffleBlocks;
  updateReceiverRate?: UpdateReceiverRate;
  fetchJobBundle?: FetchJobBundle;
  jobBundle?: JobBundle;
}

// Outside src/ so that the sources and the built dist/ find it at the same relative place.
const protoPath = fileURLToPath(new URL('../../proto/sluice.proto', import.meta.url));
const root = protobuf.parse(readFileSync(protoPath, 'utf8'), { keepCase: false }).root;
const EnvelopeType = root.lookupType('sluice.rpc.Envelope');

export function encodeEnvelope(message: Envelope): Uint8Array {
  return EnvelopeType.encode(EnvelopeType.fromObject(message)).finish();
}

export function decodeEnvelope(bytes: Uint8Array): Envelope {
  const decoded = EnvelopeType.decode(bytes);
  // longs as numbers, defaults filled in, so callers never see protobufjs Long objects.
  return EnvelopeType.toObject(decoded, { longs: Number, defaults: true, arrays: true });
}
