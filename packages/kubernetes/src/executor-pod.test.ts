import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { buildExecutorPod, toMemoryQuantity, type ExecutorPodInput } from './executor-pod.js';

const input: ExecutorPodInput = {
  appId: 'sluice-abc-123456',
  executorId: '3',
  image: 'sluice:0.1.0',
  driverHost: '10.0.0.5',
  driverPort: 7077,
  cores: 2,
  memory: '2Gi',
  secretName: 'sluice-abc-123456-secret',
  env: { GREETING: 'hello' },
  owner: { apiVersion: 'v1', kind: 'Pod', name: 'driver', uid: 'u-1', controller: true },
  template: null,
};

test('an executor pod: labels, owner, command, resources, the secret from the Secret, restartPolicy Never', () => {
  const pod = buildExecutorPod(input);
  assert.equal(pod.metadata?.name, 'sluice-abc-123456-exec-3');
  assert.deepEqual(pod.metadata?.labels, { 'sluice-app-id': 'sluice-abc-123456', 'sluice-role': 'executor', 'sluice-exec-id': '3' });
  assert.deepEqual(pod.metadata?.ownerReferences, [input.owner]);
  assert.equal(pod.spec?.restartPolicy, 'Never');
  const [c] = pod.spec.containers;
  assert.equal(c!.image, 'sluice:0.1.0');
  assert.deepEqual(c!.command, ['npx', 'sluice', 'executor', '--driver', '10.0.0.5:7077', '--cores', '2', '--executor-id', '3']);
  assert.deepEqual(c!.resources, { requests: { cpu: '2', memory: '2Gi' }, limits: { memory: '2Gi' } });
  assert.deepEqual(c!.env, [
    { name: 'GREETING', value: 'hello' },
    { name: 'SLUICE_SECRET', valueFrom: { secretKeyRef: { name: 'sluice-abc-123456-secret', key: 'secret' } } },
    { name: 'SLUICE_APP_ID', value: 'sluice-abc-123456' },
    { name: 'SLUICE_EXECUTOR_ID', value: '3' },
  ]);
  assert.equal(buildExecutorPod({ ...input, driverHost: 'fd00::1' }).spec!.containers[0]!.command![4], '[fd00::1]:7077');
  assert.equal(buildExecutorPod({ ...input, owner: null }).metadata?.ownerReferences?.length, 0);
});

test('a pod template keeps what it says unless Sluice needs it otherwise', () => {
  const template: V1Pod = {
    kind: 'Pod',
    metadata: { labels: { team: 'vision', 'sluice-role': 'mine' }, annotations: { a: 'b' } },
    spec: {
      restartPolicy: 'Always',
      nodeSelector: { pool: 'cpu' },
      containers: [
        {
          name: 'main',
          image: 'other:1',
          env: [{ name: 'KEEP', value: '1' }, { name: 'GREETING', value: 'overridden' }, { name: 'SLUICE_SECRET', value: 'in clear' }],
          resources: { limits: { 'ephemeral-storage': '1Gi' } },
        },
        { name: 'sidecar', image: 'log-shipper:2' },
      ],
    },
  };
  const pod = buildExecutorPod({ ...input, template });
  assert.equal(pod.metadata?.labels?.team, 'vision');
  assert.equal(pod.metadata?.labels?.['sluice-role'], 'executor');
  assert.deepEqual(pod.metadata?.annotations, { a: 'b' });
  assert.equal(pod.spec?.restartPolicy, 'Never');
  assert.deepEqual(pod.spec?.nodeSelector, { pool: 'cpu' });
  assert.deepEqual(pod.spec?.containers.map((c) => c.name), ['main', 'sidecar']);
  const main = pod.spec.containers[0]!;
  assert.equal(main.image, 'sluice:0.1.0');
  assert.deepEqual(main.resources?.limits, { 'ephemeral-storage': '1Gi', memory: '2Gi' });
  assert.deepEqual(main.env?.map((e) => e.name), ['KEEP', 'GREETING', 'SLUICE_SECRET', 'SLUICE_APP_ID', 'SLUICE_EXECUTOR_ID']);
  assert.equal(main.env?.find((e) => e.name === 'GREETING')?.value, 'hello');
  assert.equal(main.env?.find((e) => e.name === 'SLUICE_SECRET')?.value, undefined, 'never the secret in clear');
});

test('--executor-memory as spark-submit writes it or as a Kubernetes quantity', () => {
  assert.equal(toMemoryQuantity('512m'), '512Mi');
  assert.equal(toMemoryQuantity('2g'), '2Gi');
  assert.equal(toMemoryQuantity('2G'), '2Gi');
  assert.equal(toMemoryQuantity('1536Mi'), '1536Mi');
  assert.throws(() => toMemoryQuantity('lots'), /--executor-memory lots: give a size such as 512m/);
  assert.throws(() => toMemoryQuantity('1.5g'), /give a size/);
});
