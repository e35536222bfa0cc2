import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderKafkaPom } from './maven-pom.js';

test('asks for Kafka and a logging backend matching its SLF4J 1.7', () => {
  const pom = renderKafkaPom('3.9.1');
  assert.match(pom, /<artifactId>kafka_2\.13<\/artifactId><version>3\.9\.1<\/version>/);
  assert.match(pom, /<artifactId>slf4j-reload4j<\/artifactId><version>1\.7\.36<\/version>/);
});

test('refuses versions that are not plain x.y.z', () => {
  assert.throws(() => renderKafkaPom('3.9.1</version><evil>'), /invalid Kafka version/);
});
