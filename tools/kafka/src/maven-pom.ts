// The throwaway pom.xml whose only job is to make Maven resolve Kafka and its runtime jars.
import { RELOAD4J_VERSION, SLF4J_VERSION, checkKafkaVersion } from './kafka-version.js';

/** Pinned so the fetch does not depend on whichever plugin version Maven would pick today. */
export const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

export function renderKafkaPom(version: string): string {
  const dependency = (groupId: string, artifactId: string, v: string) =>
    `    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${v}</version></dependency>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sluice.local</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${checkKafkaVersion(version)}</version>
  <packaging>pom</packaging>
  <dependencies>
${dependency('org.apache.kafka', 'kafka_2.13', version)}
${dependency('org.slf4j', 'slf4j-reload4j', SLF4J_VERSION)}
${dependency('ch.qos.reload4j', 'reload4j', RELOAD4J_VERSION)}
  </dependencies>
</project>
`;
}
