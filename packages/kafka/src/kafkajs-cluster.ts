import { createRequire } from 'node:module';
import { Kafka, type Broker, type Cluster, type KafkaConfig, type PartitionMetadata } from 'kafkajs';

export type IsolationLevel = 'read_committed' | 'read_uncommitted';

/** kafkajs' isolation level numbers (protocol values). */
export function isolationLevelCode(level: IsolationLevel): number {
  return level === 'read_committed' ? 1 : 0;
}

/** The parts of kafkajs' Cluster that Sluice uses, typed more precisely than kafkajs does. */
export interface KafkaCluster extends Omit<Cluster, 'metadata' | 'findBroker'> {
  metadata(options?: { topics?: string[] }): Promise<ClusterMetadata>;
  findBroker(node: { nodeId: string | number }): Promise<Broker>;
}

export interface ClusterMetadata {
  topicMetadata: { topic: string; isInternal?: boolean; topicErrorCode?: number; partitionMetadata: PartitionMetadata[] }[];
}

const CREATE_CLUSTER = 'private:Kafka:createCluster';

/**
 * A kafkajs Cluster: the client layer under kafkajs' consumer, producer and admin, with
 * its metadata cache and one connection per broker.
 *
 * Why not a kafkajs consumer: kafkajs has no assign mode, only consumer groups, and a
 * task that joins a group waits for a rebalance (seconds) before it reads a single
 * record. An executor instead keeps one Cluster for the life of the process (Spark's
 * cached consumer) and sends Fetch requests for its exact offset range to the
 * partition's leader. The driver uses one for metadata, ListOffsets and group offsets.
 *
 * kafkajs does not export the Cluster constructor; its client builds one per consumer or
 * producer through a private factory. Using that factory (rather than requiring
 * kafkajs/src/cluster) keeps every client option (TLS, SASL, socket factory, logger)
 * handled exactly as kafkajs handles it. Checked against kafkajs 2.2.x.
 */
export function createCluster(config: KafkaConfig, options: { isolationLevel: IsolationLevel }): KafkaCluster {
  const kafka = new Kafka(config);
  const factory = Object.getOwnPropertySymbols(kafka).find((s) => s.description === CREATE_CLUSTER);
  const create = factory ? (kafka as unknown as Record<symbol, unknown>)[factory] : undefined;
  if (typeof create !== 'function') {
    throw new Error(
      'this kafkajs version has no private cluster factory; @sluice/kafka needs kafkajs 2.2.x ' +
        `(found ${kafkajsVersion()})`,
    );
  }
  return create({
    allowAutoTopicCreation: false,
    isolationLevel: isolationLevelCode(options.isolationLevel),
    // The driver refreshes topic metadata itself, at its own pace (see the direct stream).
    metadataMaxAge: 60_000,
  }) as KafkaCluster;
}

function kafkajsVersion(): string {
  try {
    return (createRequire(import.meta.url)('kafkajs/package.json') as { version: string }).version;
  } catch {
    return 'an unknown version';
  }
}
