import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { resolveConf } from './conf.js';
import { CONF_KEY_KINDS, checkConfInput, nearestConfKey } from './conf-keys.js';

test('an unknown key is refused with the nearest known key', () => {
  assert.throws(() => resolveConf({ batchDurations: '1s' } as never), /unknown key "batchDurations"; the nearest known key is "batchDuration"/);
  assert.throws(() => resolveConf({ executorcores: 2 } as never), /nearest known key is "executorCores"/);
  assert.equal(nearestConfKey('spark.streaming.blockInterval'), 'blockInterval');
  assert.equal(nearestConfKey('recieverMaxRate'), 'receiverMaxRate');
});

test('a value of the wrong kind is refused with what the key takes', () => {
  assert.throws(() => resolveConf({ executors: 'two' } as never), /executors takes a number, got "two"/);
  assert.throws(() => resolveConf({ backpressureEnabled: 'yes' } as never), /backpressureEnabled takes true or false, got "yes"/);
  assert.throws(() => checkConfInput({ taskPrefetch: Number.NaN }, '--conf'), /^Error: --conf: taskPrefetch takes a number/);
});

test('every key resolves, and the settings that were accepted before still are', () => {
  const conf = resolveConf({ batchDuration: '2s', blockInterval: 500, backpressureEnabled: 'true' as never, checkpointDir: null, blockManagerMemory: '64m' });
  assert.equal(conf.batchDurationMs, 2000);
  assert.equal(conf.blockIntervalMs, 500);
  assert.equal(conf.backpressureEnabled, true);
  assert.equal(conf.blockManagerMemoryBytes, 64 * 1024 * 1024);
});

test('docs/configuration.md has a row for every key', () => {
  const doc = readFileSync(new URL('../../../../docs/configuration.md', import.meta.url), 'utf8');
  const missing = Object.keys(CONF_KEY_KINDS).filter((key) => !doc.includes(`| \`${key}\``));
  assert.deepEqual(missing, []);
});
