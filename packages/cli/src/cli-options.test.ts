import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSubmitArgs } from './cli-options.js';

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

test('--master k8s:// takes the pod options and wants --image and --driver-host', () => {
  const cmd = parseSubmitArgs([
    '--master', 'k8s://https://127.0.0.1:6443', '--image', 'sluice:0.1.0', '--driver-host', '10.1.2.3',
    '--namespace', 'jobs', '--kubeconfig', '/k/config', '--executor-memory', '2g', '--executor-env', 'A=1=2',
    '--executor-env=B=', '--executor-pod-template', 'pod.yaml', '--driver-pod-name', 'drv', 'job.ts', 'x',
  ]);
  assert.deepEqual(cmd.kubernetes, {
    image: 'sluice:0.1.0',
    namespace: 'jobs',
    kubeconfig: '/k/config',
    executorMemory: '2g',
    executorEnv: { A: '1=2', B: '' },
    podTemplateFile: 'pod.yaml',
    driverPodName: 'drv',
  });
  assert.deepEqual(cmd.jobArgs, ['x']);
  assert.throws(() => parseSubmitArgs(['--master', 'k8s://https://h:1', '--driver-host', 'h', 'job.ts']), /needs --image IMAGE/);
  assert.throws(() => parseSubmitArgs(['--master', 'k8s://https://h:1', '--image', 'i', 'job.ts']), /needs --driver-host/);
  assert.throws(() => parseSubmitArgs(['--image', 'i', 'job.ts']), /--image applies to --master k8s:\/\/\.\.\. only/);
  assert.throws(() => parseSubmitArgs(['--executor-pod-template', 'p', 'job.ts']), /--executor-pod-template applies to --master k8s/);
  assert.throws(() => parseSubmitArgs(['--master', 'k8s://h:1', '--executor-env', 'NOEQUALS', 'job.ts']), /--executor-env expects NAME=value/);
});
