import type { KafkaConfig } from 'kafkajs';
import { resolveKafkaConfig, validateConnection, describeBrokers, type KafkaConnectionOptions } from './connection.js';
import type { IsolationLevel } from './kafkajs-cluster.js';
import { validateStartingOffsets, type StartingOffsets } from './starting-offsets.js';
import { subscriptionFrom, type Subscription, type SubscriptionOptions } from './subscription.js';

export interface DirectStreamOptions extends KafkaConnectionOptions, SubscriptionOptions {
  /**
   * The consumer group whose committed offsets the stream starts from and commits to.
   * Nobody joins it: it only stores offsets, so give each application a group of its own.
   */
  groupId: string;
  /** Where partitions without a committed offset start (default 'latest', as Kafka's auto.offset.reset). */
  startingOffsets?: StartingOffsets;
  /** Records per second per partition, 0 = unlimited (default 0). */
  maxRatePerPartition?: number;
  /** Records per batch per partition at least, when a rate limit applies (default 1). */
  minRatePerPartition?: number;
  /** 'read_committed' (default, as kafkajs) skips aborted transactions and stops at open ones. */
  isolationLevel?: IsolationLevel;
  /**
   * What happens when a batch's output operation fails. 'reread' (default): the next
   * batch starts again at the failed batch's offsets, so nothing is lost (at-least-once).
   * 'skip': the stream goes on, as Spark's does, and the failed batch's records are lost
   * to the job (later commits move past them).
   */
  onBatchFailure?: 'reread' | 'skip';
  /** Largest Fetch response an executor asks for (default 8 MiB). */
  fetchMaxBytes?: number;
  /**
   * Let count() and isEmpty() of a batch's KafkaRDD answer from its offset ranges,
   * without reading (default false). Only true when every offset of the topics is a
   * record this stream reads: no transactional producer writes to them (transaction
   * markers take offsets) and they are not compacted. See KafkaRDD.count.
   */
  countFromOffsets?: boolean;
  /** How often the driver looks for new partitions and topics (default 1000 ms). */
  partitionDiscoveryIntervalMs?: number;
  /** How long stop() waits for batches already cut to finish and commit (default 10 s). */
  stopTimeoutMs?: number;
  /** Where the stream's messages go (default: stderr, prefixed "sluice: kafka:"). */
  log?: (line: string) => void;
}

export interface DirectStreamSettings {
  readonly subscription: Subscription;
  readonly groupId: string;
  readonly startingOffsets: StartingOffsets;
  readonly maxRatePerPartition: number;
  readonly minRatePerPartition: number;
  readonly isolationLevel: IsolationLevel;
  readonly onBatchFailure: 'reread' | 'skip';
  readonly fetchMaxBytes: number;
  readonly countFromOffsets: boolean;
  readonly partitionDiscoveryIntervalMs: number;
  readonly stopTimeoutMs: number;
  /** The driver's client: few retries, so an unreachable cluster delays a batch by seconds, not minutes. */
  readonly driverConfig: KafkaConfig;
  readonly executorConfig: KafkaConfig;
  readonly brokers: string;
  readonly log: (line: string) => void;
}

export function resolveDirectStreamOptions(options: DirectStreamOptions): DirectStreamSettings {
  if (!options || typeof options !== 'object') throw new Error('createDirectStream(ssc, options): options are required');
  validateConnection(options, 'createDirectStream');
  const subscription = subscriptionFrom(options);
  if (typeof options.groupId !== 'string' || options.groupId.trim() === '') {
    throw new Error('createDirectStream: `groupId` is required (the consumer group that stores the offsets)');
  }
  const startingOffsets = options.startingOffsets ?? 'latest';
  validateStartingOffsets(startingOffsets);
  const maxRate = nonNegative(options.maxRatePerPartition ?? 0, 'maxRatePerPartition');
  const minRate = nonNegative(options.minRatePerPartition ?? 1, 'minRatePerPartition');
  const isolationLevel = options.isolationLevel ?? 'read_committed';
  if (isolationLevel !== 'read_committed' && isolationLevel !== 'read_uncommitted') {
    throw new Error(`createDirectStream: isolationLevel must be 'read_committed' or 'read_uncommitted', got ${String(isolationLevel)}`);
  }
  const onBatchFailure = options.onBatchFailure ?? 'reread';
  if (onBatchFailure !== 'reread' && onBatchFailure !== 'skip') {
    throw new Error(`createDirectStream: onBatchFailure must be 'reread' or 'skip', got ${String(onBatchFailure)}`);
  }
  const fetchMaxBytes = options.fetchMaxBytes ?? 8 * 1024 * 1024;
  if (!Number.isInteger(fetchMaxBytes) || fetchMaxBytes < 1024) throw new Error('createDirectStream: fetchMaxBytes must be an integer >= 1024');
  const driverConfig = resolveKafkaConfig(options, 'driver', {
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
    requestTimeout: 10_000,
  });
  return {
    subscription,
    groupId: options.groupId,
    startingOffsets,
    maxRatePerPartition: maxRate,
    minRatePerPartition: minRate,
    isolationLevel,
    onBatchFailure,
    fetchMaxBytes,
    countFromOffsets: options.countFromOffsets === true,
    partitionDiscoveryIntervalMs: nonNegative(options.partitionDiscoveryIntervalMs ?? 1000, 'partitionDiscoveryIntervalMs'),
    stopTimeoutMs: nonNegative(options.stopTimeoutMs ?? 10_000, 'stopTimeoutMs'),
    driverConfig,
    executorConfig: resolveKafkaConfig(options, 'executor', { retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 } }),
    brokers: describeBrokers(driverConfig),
    log: options.log ?? ((line) => process.stderr.write(`sluice: kafka: ${line}\n`)),
  };
}

function nonNegative(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`createDirectStream: ${name} must be a number >= 0, got ${String(value)}`);
  }
  return value;
}
