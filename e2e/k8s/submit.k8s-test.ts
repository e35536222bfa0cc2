/**
 * `sluice submit --master k8s://` against a real Kubernetes API server (kube-apiserver
 * over etcd, on loopback). Not part of `npm test`: the API server takes an hour to build
 * once (tools/k8s/build-apiserver.sh). Run it with `npm run test:k8s`; without the
 * binaries every test here is skipped, naming what is missing.
 *
 * There is no kubelet: the test plays it (PodRunner), starting each executor pod's
 * command from the pod spec, so the whole path runs — pods created by the driver, the
 * executors in them connecting back with the secret from the Secret, tasks, a failed pod
 * replaced, the pods deleted when the driver stops — and the counts are checked exact.
 * Where network namespaces can be made (root), the driver runs in one and the pods'
 * processes in another (a node), joined by veth pairs: executors reach the driver only
 * at the address it advertises, as in a cluster. The API server and the text source stay
 * on the test's loopback and are relayed into the driver's namespace.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectKubernetes } from '@sluice/kubernetes';
import { freePorts, missingPieces, startApiServer, type ApiServer } from './api-server.js';
import { NetnsLab } from '../netns/netns-lab.js';
import { PodRunner } from './pod-runner.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const forwarder = fileURLToPath(new URL('../netns/unix-forwarder.mjs', import.meta.url));
const noNetns = NetnsLab.unavailable();
if (noNetns) process.stderr.write(`k8s tests run on loopback only: ${noNetns}\n`);
const sluiceBin = join(repoRoot, 'packages/cli/bin/sluice.mjs');
const job = join(repoRoot, 'e2e/fixtures/netns-wordcount-job.ts');
const unavailable = missingPieces();
if (unavailable) process.stderr.write(`k8s tests skipped: ${unavailable}\n`);
const skip = unavailable ?? false;

const NAMESPACE = 'sluice-test';
const LINES = 2000;
let server: ApiServer;
let scratch: string;

before(async () => {
  if (unavailable) return;
  scratch = mkdtempSync(join(tmpdir(), 'sluice-k8s-test-'));
  server = await startApiServer();
  const { api } = connectKubernetes(server.url, server.adminKubeconfig);
  await api.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  // What the controller manager (absent here) would create: pods need their service account.
  await api.createNamespacedServiceAccount({ namespace: NAMESPACE, body: { metadata: { name: 'default' } } });
});

after(async () => {
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

type Spawner = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

function sluice(args: string[], spawnIn: Spawner = spawn): Proc {
  // The driver generates the secret and hands it to the pods through the Secret.
  const env = { ...process.env };
  delete env.SLUICE_SECRET;
  const child = spawnIn(process.execPath, [sluiceBin, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  const take = (d: Buffer) => {
    out += d.toString();
    if (process.env.SLUICE_TEST_VERBOSE) process.stderr.write(d);
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string, context = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const lineOf = (i: number) => `w${i % 10} common`;

function expected(n: number): [string, number][] {
  const m = new Map<string, number>([['common', n]]);
  for (let i = 0; i < n; i++) m.set(`w${i % 10}`, (m.get(`w${i % 10}`) ?? 0) + 1);
  return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function totals(file: string): Map<string, number> {
  const m = new Map<string, number>();
  if (!existsSync(file)) return m;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    for (const [w, n] of (JSON.parse(line) as { counts: [string, number][] }).counts) m.set(w, (m.get(w) ?? 0) + n);
  }
  return m;
}

/** Serves `total` lines at a steady pace to whoever connects. */
async function textSource(total: number): Promise<{ port: number; sent: () => number; close: () => void }> {
  let sent = 0;
  const server = createServer((socket: Socket) => {
    socket.on('error', () => {});
    const timer = setInterval(() => {
      const batch: string[] = [];
      while (batch.length < 20 && sent < total) batch.push(lineOf(sent++));
      if (batch.length > 0) socket.write(`${batch.join('\n')}\n`);
      if (sent >= total) clearInterval(timer);
    }, 50);
    socket.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, sent: () => sent, close: () => server.close() };
}

test('executors as pods: labelled, owned by the driver pod, resources and env from the options, a failed pod replaced, all deleted on stop; counts exact', { skip }, async () => {
  const { api } = connectKubernetes(server.url, server.adminKubeconfig);
  // The pod a driver in the cluster would run in (nothing runs it here): the owner of the executor pods.
  const driverPod = await api.createNamespacedPod({
    namespace: NAMESPACE,
    body: { metadata: { name: 'wordcount-driver' }, spec: { containers: [{ name: 'driver', image: 'sluice:test' }] } },
  });
  const template = join(scratch, 'executor-template.yaml');
  writeFileSync(
    template,
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  labels:',
      '    team: streaming',
      'spec:',
      '  nodeSelector:',
      '    pool: cpu',
      '  containers:',
      '    - name: executor-main',
      '      env:',
      '        - name: FROM_TEMPLATE',
      '          value: "yes"',
      '',
    ].join('\n'),
  );
  const source = await textSource(LINES);
  const outFile = join(scratch, 'counts.jsonl');
  appendFileSync(outFile, '');
  // The driver in one namespace, the pods in another; or both here on loopback.
  const lab = noNetns ? null : NetnsLab.create(['driver', 'node']);
  const driverHost = lab ? lab.address('driver') : '127.0.0.1';
  const apiPort = Number(new URL(server.url).port);
  await lab?.expose('driver', '127.0.0.1', apiPort, { host: '127.0.0.1', port: apiPort }, forwarder);
  await lab?.expose('driver', '127.0.0.1', source.port, { host: '127.0.0.1', port: source.port }, forwarder);
  const inNamespace = (host: string): Spawner | undefined => (lab ? (command, args, options) => lab.spawn(host, command, args, options) : undefined);
  const driver = sluice([
    'submit', '--master', `k8s://${server.url}`, '--kubeconfig', server.adminKubeconfig, '--namespace', NAMESPACE,
    '--image', 'sluice:test', '--executors', '2', '--executor-cores', '2', '--executor-memory', '768m',
    '--executor-env', 'GREETING=hello', '--executor-pod-template', template, '--driver-pod-name', 'wordcount-driver',
    '--driver-host', driverHost, '--no-ui', '--batch-duration', '500ms',
    job, 'socket', '127.0.0.1', String(source.port), outFile,
  ], inNamespace('driver'));
  const runner = new PodRunner(api, NAMESPACE, 'sluice-role=executor', repoRoot, { SLUICE_JOB_CACHE: join(scratch, 'jobs') }, inNamespace('node'));
  runner.start();
  try {
    await waitFor(() => /sluice: started /.test(driver.output()) || driver.child.exitCode !== null, 300_000, 'the driver to start', driver.output);
    assert.equal(driver.child.exitCode, null, driver.output());
    const appId = /application (sluice-[a-z0-9-]+)\)/.exec(driver.output())?.[1];
    assert.ok(appId, driver.output());

    const pods = (await api.listNamespacedPod({ namespace: NAMESPACE, labelSelector: `sluice-app-id=${appId}` })).items;
    assert.deepEqual(pods.map((p) => p.metadata!.name).sort(), [`${appId}-exec-0`, `${appId}-exec-1`]);
    const secret = await api.readNamespacedSecret({ namespace: NAMESPACE, name: `${appId}-secret` });
    const secretText = Buffer.from(secret.data!.secret!, 'base64').toString('utf8');
    assert.ok(secretText.length >= 32, 'the generated secret is in the Secret');
    for (const pod of pods) {
      const id = pod.metadata!.name!.slice(`${appId}-exec-`.length);
      assert.deepEqual(pod.metadata!.labels, { team: 'streaming', 'sluice-app-id': appId, 'sluice-role': 'executor', 'sluice-exec-id': id });
      assert.deepEqual(
        pod.metadata!.ownerReferences?.map((o) => ({ kind: o.kind, name: o.name, uid: o.uid, controller: o.controller })),
        [{ kind: 'Pod', name: 'wordcount-driver', uid: driverPod.metadata!.uid, controller: true }],
      );
      assert.equal(pod.spec!.restartPolicy, 'Never');
      assert.deepEqual(pod.spec!.nodeSelector, { pool: 'cpu' });
      const [c] = pod.spec!.containers;
      assert.equal(c!.name, 'executor-main');
      assert.equal(c!.image, 'sluice:test');
      const port = new RegExp(`executors connect to ${driverHost.replace(/\./g, '\\.')}:(\\d+)`).exec(driver.output())![1];
      assert.deepEqual(c!.command, ['npx', 'sluice', 'executor', '--driver', `${driverHost}:${port}`, '--cores', '2', '--executor-id', id]);
      assert.equal(c!.resources!.requests!.cpu, '2');
      assert.equal(c!.resources!.requests!.memory, '768Mi');
      assert.equal(c!.resources!.limits!.memory, '768Mi');
      const env = JSON.parse(JSON.stringify(Object.fromEntries((c!.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom])))) as Record<string, unknown>;
      assert.deepEqual(env, {
        FROM_TEMPLATE: 'yes',
        GREETING: 'hello',
        SLUICE_SECRET: { secretKeyRef: { name: `${appId}-secret`, key: 'secret' } },
        SLUICE_APP_ID: appId,
        SLUICE_EXECUTOR_ID: id,
      });
      assert.ok(!JSON.stringify(pod).includes(secretText), 'the pod spec never holds the secret itself');
    }

    await waitFor(() => (totals(outFile).get('common') ?? 0) > 0, 180_000, 'the first counts', driver.output);
    // A pod fails as if OOM-killed: its processes die and its status says Failed.
    await runner.failPod(`${appId}-exec-0`);
    await waitFor(
      async () => (await api.listNamespacedPod({ namespace: NAMESPACE, labelSelector: `sluice-app-id=${appId}` })).items
        .map((p) => p.metadata!.name).sort().join(' ') === `${appId}-exec-1 ${appId}-exec-2`,
      30_000,
      'the failed pod deleted and a replacement created',
      driver.output,
    );
    await waitFor(() => /executor 2: connected to the driver/.test(runner.started.get(`${appId}-exec-2`)?.output() ?? ''), 180_000, 'the replacement to connect', driver.output);
    await waitFor(() => source.sent() >= LINES, 60_000, 'the source to send everything');
    await waitFor(() => (totals(outFile).get('common') ?? 0) >= LINES, 180_000, `all ${LINES} lines counted`, driver.output);
    await new Promise((r) => setTimeout(r, 1500)); // a count arriving late would be a double count
    driver.child.kill('SIGTERM');
    assert.equal(await driver.exited, 0, driver.output());
    assert.deepEqual([...totals(outFile).entries()].sort(([a], [b]) => a.localeCompare(b)), expected(LINES));
    assert.match(driver.output(), /lost executor 0 \(connection lost|lost executor 0 \(pod .*-exec-0 failed \(exit code 137, OOMKilled\)\)/);
    assert.match(driver.output(), /starting a replacement executor/);
    assert.match(driver.output(), /deleted the executor pods of /);
    const left = await api.listNamespacedPod({ namespace: NAMESPACE, labelSelector: `sluice-app-id=${appId}` });
    assert.deepEqual(left.items.map((p) => p.metadata!.name), [], 'no executor pod left');
    await assert.rejects(api.readNamespacedSecret({ namespace: NAMESPACE, name: `${appId}-secret` }), /404|not found/i);
    for (const name of [`${appId}-exec-1`, `${appId}-exec-2`]) {
      const p = runner.started.get(name)!;
      assert.equal(await p.exited, 0, p.output());
      assert.match(p.output(), /the driver stopped; exiting/);
    }
    // The executors (in the node's namespace when there is a lab) dialled the address the driver advertised.
    for (const name of [`${appId}-exec-1`, `${appId}-exec-2`]) {
      assert.match(runner.started.get(name)!.output(), new RegExp(`connected to the driver at ${driverHost.replace(/\./g, '\\.')}:\\d+`));
    }
  } finally {
    source.close();
    if (driver.child.exitCode === null) driver.child.kill('SIGKILL');
    await runner.stop();
    lab?.destroy();
  }
});

test('an API server that cannot be reached, or that refuses the credentials, is a clear error', { skip }, async () => {
  const [closed] = await freePorts(1);
  const unreachable = sluice([
    'submit', '--master', `k8s://https://127.0.0.1:${closed}`, '--kubeconfig', server.adminKubeconfig, '--image', 'sluice:test',
    '--driver-host', '127.0.0.1', '--no-ui', job, 'socket', '127.0.0.1', '9', join(scratch, 'none.jsonl'),
  ]);
  assert.equal(await unreachable.exited, 1, unreachable.output());
  assert.match(unreachable.output(), new RegExp(`creating the Secret default/sluice-[a-z0-9-]+-secret: cannot reach the Kubernetes API server at https://127\\.0\\.0\\.1:${closed} \\(ECONNREFUSED\\)`));

  const forbidden = sluice([
    'submit', '--master', `k8s://${server.url}`, '--kubeconfig', server.nobodyKubeconfig, '--namespace', NAMESPACE,
    '--image', 'sluice:test', '--driver-host', '127.0.0.1', '--no-ui', job, 'socket', '127.0.0.1', '9', join(scratch, 'none.jsonl'),
  ]);
  assert.equal(await forbidden.exited, 1, forbidden.output());
  assert.match(forbidden.output(), /forbids it \(403 Forbidden\): secrets is forbidden: User "nobody" cannot create resource "secrets"/);
  assert.match(forbidden.output(), /needs to create, list and delete pods and secrets/);
});
