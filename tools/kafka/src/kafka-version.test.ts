import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kafkaCacheDir } from './kafka-version.js';

test('the Kafka jars are cached in SLUICE_KAFKA_HOME, else in SLUICE_CACHE_DIR, else in ~/.cache/sluice', () => {
  assert.equal(kafkaCacheDir('3.9.1', { SLUICE_KAFKA_HOME: '/k', SLUICE_CACHE_DIR: '/c' }), '/k');
  assert.equal(kafkaCacheDir('3.9.1', { SLUICE_CACHE_DIR: '/c' }), join('/c', 'kafka-3.9.1'));
  assert.equal(kafkaCacheDir('3.9.1', {}), join(homedir(), '.cache', 'sluice', 'kafka-3.9.1'));
});
