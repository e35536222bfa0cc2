// Which Apache Kafka release is used and where its jars are cached.
import { join } from 'node:path';
import { sluiceCacheDir } from '@sluice/protocol/files';

/** The Kafka release fetched when no version is asked for: the last 3.x line, KRaft-ready, Java 17 friendly. */
export const DEFAULT_KAFKA_VERSION = '3.9.1';

/** Kafka 3.x is built against SLF4J 1.7; the logging backend must match it. */
export const SLF4J_VERSION = '1.7.36';

/** Reload4j is the log4j 1.x line Kafka's own distribution ships; kafka.utils.Log4jController needs it. */
export const RELOAD4J_VERSION = '1.2.25';

const VERSION_PATTERN = /^\d+\.\d+\.\d+$/;

/** The version ends up inside a generated pom.xml and file names, so only plain x.y.z is accepted. */
export function checkKafkaVersion(version: string): string {
  if (!VERSION_PATTERN.test(version)) {
    throw new Error(`invalid Kafka version "${version}": expected x.y.z, e.g. ${DEFAULT_KAFKA_VERSION}`);
  }
  return version;
}

/** $SLUICE_KAFKA_HOME if set, else kafka-<version> in Sluice's cache directory ($SLUICE_CACHE_DIR, else ~/.cache/sluice). */
export function kafkaCacheDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SLUICE_KAFKA_HOME?.trim();
  if (fromEnv) return fromEnv;
  return join(sluiceCacheDir(env), `kafka-${checkKafkaVersion(version)}`);
}
