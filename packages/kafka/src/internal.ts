// `@sluice/kafka/internal`: the protocol-level pieces under the direct stream, for Sluice's
// own tests (a transaction probe reads the log's offsets as kafkajs' public API cannot).
// Jobs import `@sluice/kafka`.
export { createCluster, isolationLevelCode, type KafkaCluster, type ClusterMetadata } from './kafkajs-cluster.js';
export { fetchLogOffsets } from './log-offsets.js';
