import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSubmitArgs } from './cli-options';

test('--conf with an unknown key names the nearest known key', () => {
  assert.throws(() => parseSubmitArgs(['--conf', 'executorCore=2', 'job.ts']), /--conf: unknown key "executorCore"; the nearest known key is "executorCores"/);
});

test('--conf with a value of the wrong kind says what the key takes', () => {
  assert.throws(() => parseSubmitArgs(['--conf', 'taskPrefetch=lots', 'job.ts']), /--conf: taskPrefetch takes a number, got "lots"/);
});

test('--conf settings that are right pass through', () => {
  const cmd = parseSubmitArgs(['--conf', 'executorCores=2', '--conf', 'executorTimeout=10s', 'job.ts', 'a']);
  assert.equal(cmd.conf.executorCores, 2);
  assert.equal(cmd.conf.executorTimeout, '10s');
  assert.deepEqual(cmd.jobArgs, ['a']);
});

test('--batch-duration and --block-interval want a unit', () => {
  assert.throws(() => parseSubmitArgs(['--batch-duration', '1', 'job.ts']), /--batch-duration 1: give a unit, e.g. 1s or 1ms/);
  assert.throws(() => parseSubmitArgs(['--block-interval=200', 'job.ts']), /--block-interval 200: give a unit/);
  assert.equal(parseSubmitArgs(['--batch-duration', '500ms', 'job.ts']).conf.batchDuration, '500ms');
});
