import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { authenticateClient, RpcConnection, type Envelope } from '@sluice/protocol';
import { listen, start, waitFor } from './helpers.js';

const sluiceBin = fileURLToPath(new URL('../../packages/cli/bin/sluice.mjs', import.meta.url));
const e2eDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'sluice-remote-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface RemoteExecutor {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `sluice executor --driver ...` as a user starts one on another host: another cwd, its own job cache. */
function remoteExecutor(driver: string, env: Record<string, string>, extra: string[] = []): RemoteExecutor {
  const child = spawn(process.execPath, [sluiceBin, 'executor', '--driver', driver, ...extra], {
    cwd: scratch,
    env: { ...process.env, SLUICE_SECRET: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

/**
 * A job made for this test, in a directory of its own with a local import; it is deleted
 * once the driver has loaded it, so an executor can only run the bundle it is sent.
 */
function writeShippedJob(): { dir: string; job: string } {
  // Inside the workspace so that the driver resolves @sluice/streaming as any job does.
  const dir = mkdtempSync(join(e2eDir, '.shipped-job-'));
  writeFileSync(
    join(dir, 'tokenize.ts'),
    `export const SEPARATOR = /\\s+/;\nexport function words(line: string): string[] { return line.split(SEPARATOR).filter((w) => w.length > 0); }\n`,
  );
  writeFileSync(
    join(dir, 'job.ts'),
    `import { StreamingContext } from '@sluice/streaming';
import { words } from './tokenize';
export const totals = new Map<string, number>();
export default function job(ssc: StreamingContext, args: string[]): void {
  if (!(ssc instanceof StreamingContext)) throw new Error('the job got a context of another copy of @sluice/streaming');
  ssc.socketTextStream(args[0]!, Number(args[1]))
    .flatMap((line) => words(line))
    .map((w) => [w, 1] as [string, number])
    .reduceByKey((a, b) => a + b, 2)
    .foreachRDD(async (rdd) => {
      for (const [w, n] of await rdd.collect()) totals.set(w, (totals.get(w) ?? 0) + n);
    });
}
`,
  );
  return { dir, job: join(dir, 'job.ts') };
}

function driverAddress(lines: string[]): string | null {
  for (const l of lines) {
    const m = /sluice executor --driver (\S+?)`/.exec(l);
    if (m) return m[1]!;
  }
  return null;
}

test('a remote executor gets the job shipped as a bundle, cached by hash, and runs it; the job file need not exist there', async (t) => {
  const { dir, job } = writeShippedJob();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const secretFile = join(scratch, 'secret');
  writeFileSync(secretFile, 'shipping-test-secret\n');
  const jobCache = join(scratch, 'jobs');
  const source = await listen((socket) => {
    const send = () => socket.write('alpha beta alpha\n');
    const timer = setInterval(send, 100);
    socket.on('close', () => clearInterval(timer));
  });
  t.after(() => source.server.close());
  const lines: string[] = [];
  const app = start({
    job,
    args: ['127.0.0.1', String(source.port)],
    conf: { executors: 0, batchDuration: '500ms' },
    secretFile,
    log: (l) => lines.push(l),
  });
  await waitFor(() => driverAddress(lines) !== null, 30_000, 'the driver to wait for executors');
  const mod = (await import(pathToFileURL(job).href)) as { totals: Map<string, number> };
  rmSync(dir, { recursive: true, force: true });
  const env = { SLUICE_SECRET: '', SLUICE_JOB_CACHE: jobCache };
  const first = remoteExecutor(driverAddress(lines)!, env, ['--secret-file', secretFile]);
  t.after(() => first.child.kill('SIGKILL'));
  const { ssc } = await app;
  await waitFor(() => (mod.totals.get('alpha') ?? 0) >= 4, 30_000, 'counts computed by the remote executor');
  assert.match(first.output(), /received the job bundle [0-9a-f]{12} \(\d+ bytes\), cached as /);
  assert.equal(mod.totals.get('alpha'), 2 * mod.totals.get('beta')!, 'every line counted whole');

  // A second executor on the same host finds the bundle in its cache and does not ask for it.
  const second = remoteExecutor(driverAddress(lines)!, { ...env, SLUICE_SECRET: 'shipping-test-secret' });
  t.after(() => second.child.kill('SIGKILL'));
  const { pool } = await app;
  const before = mod.totals.get('alpha')!;
  await waitFor(() => pool.executorIds.length === 2, 30_000, 'the second executor to register');
  await waitFor(() => mod.totals.get('alpha')! >= before + 8, 30_000, 'more batches on both executors');
  assert.doesNotMatch(second.output(), /received the job bundle/);
  await ssc.stop();
  assert.equal(await first.exited, 0);
  assert.match(first.output(), /executor \S+: connected to the driver at [\d.]+:\d+ \(1 core\)/);
  assert.match(first.output(), /executor \S+: the driver stopped; exiting/);
});

test('an executor with the wrong secret is refused and counted; the driver and the executor both say so', async () => {
  const secretFile = join(scratch, 'driver-secret');
  writeFileSync(secretFile, 'the real secret');
  const lines: string[] = [];
  const app = start({ job: fixture('print-queue-job.ts'), conf: { executors: 0 }, secretFile, log: (l) => lines.push(l) });
  app.catch(() => {});
  await waitFor(() => driverAddress(lines) !== null, 30_000, 'the driver to wait for executors');
  const intruder = remoteExecutor(driverAddress(lines)!, { SLUICE_SECRET: 'a wrong guess', SLUICE_JOB_CACHE: join(scratch, 'jobs-intruder') });
  assert.equal(await intruder.exited, 1);
  assert.match(intruder.output(), /could not authenticate to the driver at 127\.0\.0\.1:\d+: .*secrets differ/);
  await waitFor(() => lines.some((l) => l.includes('refused a connection')), 10_000, 'the driver to report the refusal');
  assert.match(lines.join('\n'), /refused a connection from 127\.0\.0\.1:\d+: the peer does not know the shared secret \(1 unauthenticated connection\(s\) refused so far\)/);
  const honest = remoteExecutor(driverAddress(lines)!, { SLUICE_SECRET: 'the real secret', SLUICE_JOB_CACHE: join(scratch, 'jobs-honest') });
  const { ssc, pool } = await app;
  assert.equal(pool.refusedConnections, 1);
  assert.deepEqual(pool.executorIds, ['remote-0']);
  await ssc.stop();
  assert.equal(await honest.exited, 0);
});

test('a client that authenticates but runs another Sluice version is refused, both versions named', async () => {
  const secretFile = join(scratch, 'version-secret');
  writeFileSync(secretFile, 'version secret');
  const lines: string[] = [];
  const app = start({ job: fixture('print-queue-job.ts'), conf: { executors: 0 }, secretFile, log: (l) => lines.push(l) });
  app.catch(() => {});
  await waitFor(() => driverAddress(lines) !== null, 30_000, 'the driver to wait for executors');
  const [host, port] = driverAddress(lines)!.split(':') as [string, string];
  const socket = connect({ host, port: Number(port) });
  await new Promise((r) => socket.once('connect', r));
  await authenticateClient(socket, Buffer.from('version secret'));
  const reply = await new Promise<Envelope>((resolve) => {
    const rpc = new RpcConnection(socket, (msg) => resolve(msg), () => {});
    rpc.send({ registerExecutor: { executorId: '', host: 'old-host', cores: 1, pid: 1, blockHost: '127.0.0.1', blockPort: 1, sluiceVersion: '0.0.1' } });
  });
  socket.destroy();
  assert.match(reply.registerRejected?.reason ?? '', /executor runs Sluice 0\.0\.1 but the driver runs Sluice \d+\.\d+\.\d+/);
  const honest = remoteExecutor(driverAddress(lines)!, { SLUICE_SECRET: 'version secret', SLUICE_JOB_CACHE: join(scratch, 'jobs-v') });
  const { ssc } = await app;
  await ssc.stop();
  await honest.exited;
});

test('with --tls-cert/--tls-key the executors connect over TLS; a plain connection is refused', async (t) => {
  const dir = join(scratch, 'tls');
  mkdirSync(dir, { recursive: true });
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=sluice-test-driver',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { encoding: 'utf8' });
  if (made.status !== 0) {
    t.skip(`openssl could not make a test certificate: ${made.stderr || made.error?.message}`);
    return;
  }
  const lines: string[] = [];
  const tls = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
  // Local executors: they get the generated secret and the certificate to trust.
  const { ssc, pool } = await start({ job: fixture('print-queue-job.ts'), conf: { executors: 1 }, tls, log: (l) => lines.push(l) });
  assert.equal(pool.executorIds.length, 1);
  const plain = remoteExecutor(`127.0.0.1:${pool.address.port}`, { SLUICE_SECRET: 'anything', SLUICE_JOB_CACHE: join(scratch, 'jobs-plain') });
  assert.equal(await plain.exited, 1);
  await waitFor(() => lines.some((l) => l.includes('refused a connection')), 10_000, 'the driver to refuse the plain connection');
  assert.equal(pool.refusedConnections, 1);
  await ssc.stop();
});
