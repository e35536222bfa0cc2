/**
 * Driver and executors on different "hosts": Linux network namespaces joined by veth pairs
 * to a bridge, each with its own private address (see netns/netns-lab.ts). The driver runs
 * in one, executors in two others; the test kills one namespace's executors mid-run and
 * checks every count. Nothing is sent anywhere but to the lab's addresses and loopback.
 * Needs root: elsewhere the tests are skipped, saying why.
 */
import assert from 'node:assert/strict';
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NetnsLab } from '../netns/netns-lab.js';
import { connectTo, idempotentProducer, uniqueName } from '../fixtures/kafka-helpers.js';
import { listen, sleep, waitFor } from './helpers.js';

const sluiceBin = fileURLToPath(new URL('../../packages/cli/bin/sluice.mjs', import.meta.url));
const forwarder = fileURLToPath(new URL('../netns/unix-forwarder.mjs', import.meta.url));
const job = fileURLToPath(new URL('../fixtures/netns-wordcount-job.ts', import.meta.url));
const unavailable = NetnsLab.unavailable();
const scratch = mkdtempSync(join(tmpdir(), 'sluice-netns-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const DRIVER_PORT = 7077;
const SECRET = 'netns test secret';
const secretFile = join(scratch, 'secret');
writeFileSync(secretFile, SECRET);

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

let started = 0;

function run(lab: NetnsLab, host: string, args: string[], env: Record<string, string> = {}): Proc {
  const child = lab.spawn(host, process.execPath, [sluiceBin, ...args], {
    // A job cache of its own: every executor here fetches the bundle, and says so.
    env: { ...process.env, SLUICE_SECRET: '', SLUICE_JOB_CACHE: join(scratch, `jobs-${host}-${++started}`), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

function totals(outFile: string): Map<string, number> {
  const sum = new Map<string, number>();
  if (!existsSync(outFile)) return sum;
  for (const line of readFileSync(outFile, 'utf8').split('\n')) {
    if (!line) continue;
    for (const [w, n] of (JSON.parse(line) as { counts: [string, number][] }).counts) sum.set(w, (sum.get(w) ?? 0) + n);
  }
  return sum;
}

/** Line i of the input: a word of ten, and one every line has. */
const lineOf = (i: number) => `w${i % 10} common`;

function expected(n: number): Map<string, number> {
  const m = new Map<string, number>([['common', n]]);
  for (let i = 0; i < n; i++) m.set(`w${i % 10}`, (m.get(`w${i % 10}`) ?? 0) + 1);
  return m;
}

function sorted(m: Map<string, number>): [string, number][] {
  return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
}

interface Cluster {
  lab: NetnsLab;
  driver: Proc;
  executors: { host: string; proc: Proc }[];
  outFile: string;
}

/** The driver in namespace "driver", one executor in each of "exec1" and "exec2". */
async function startCluster(lab: NetnsLab, submitArgs: string[], jobArgs: string[], outFile: string): Promise<Cluster> {
  const driverAddress = lab.address('driver');
  const driver = run(lab, 'driver', [
    'submit', '--no-ui', '--driver-host', driverAddress, '--driver-port', String(DRIVER_PORT), '--executors', '0',
    '--secret-file', secretFile, '--batch-duration', '500ms', ...submitArgs, job, ...jobArgs, outFile,
  ]);
  await waitFor(() => /waiting for executors/.test(driver.output()) || driver.child.exitCode !== null, 60_000, 'the driver to listen');
  const executors = ['exec1', 'exec2'].map((host) => ({
    host,
    proc: run(lab, host, ['executor', '--driver', `${driverAddress}:${DRIVER_PORT}`, '--secret-file', secretFile]),
  }));
  await waitFor(() => /sluice: started /.test(driver.output()) || driver.child.exitCode !== null, 60_000, 'the driver to start');
  assert.equal(driver.child.exitCode, null, driver.output());
  // Both namespaces' executors registered (each fetched the job) before anything is killed.
  await waitFor(() => executors.every((e) => /received the job bundle/.test(e.proc.output())), 60_000, 'both executors to register');
  return { lab, driver, executors, outFile };
}

async function stopCluster(c: Cluster): Promise<void> {
  c.driver.child.kill('SIGTERM');
  assert.equal(await c.driver.exited, 0, c.driver.output());
}

function killNamespace(c: Cluster, host: string): void {
  for (const e of c.executors) if (e.host === host) e.proc.child.kill('SIGKILL');
}

function withLab(hosts: string[], fn: (lab: NetnsLab) => Promise<void>) {
  return async () => {
    const lab = NetnsLab.create(hosts);
    try {
      await fn(lab);
    } finally {
      lab.destroy();
    }
  };
}

/** Serves `total` lines at a steady pace to whoever connects (one receiver). */
async function textSource(total: number): Promise<{ port: number; sent: () => number; close: () => void }> {
  let sent = 0;
  const { server, port } = await listen((socket) => {
    const timer = setInterval(() => {
      const batch: string[] = [];
      while (batch.length < 40 && sent < total) batch.push(lineOf(sent++));
      if (batch.length > 0) socket.write(`${batch.join('\n')}\n`);
      if (sent >= total) clearInterval(timer);
    }, 50);
    socket.on('close', () => clearInterval(timer));
  });
  return { port, sent: () => sent, close: () => server.close() };
}

const LINES = 3000;

for (const placement of ['driver', 'executor'] as const) {
  test(
    `network word count across namespaces (receiver on the ${placement}); one namespace's executors killed mid-run, counts exact`,
    { skip: unavailable ?? false },
    withLab(['driver', 'exec1', 'exec2'], async (lab) => {
      const source = await textSource(LINES);
      try {
        // The text server is the test's; the lab sees it at the driver's address, port 9999.
        await lab.expose('driver', lab.address('driver'), 9999, { host: '127.0.0.1', port: source.port }, forwarder);
        const outFile = join(scratch, `socket-${placement}.jsonl`);
        const placementArgs = placement === 'executor' ? ['--receiver-placement', 'executor', '--block-replication', '2'] : [];
        const c = await startCluster(lab, placementArgs, ['socket', lab.address('driver'), '9999'], outFile);
        await waitFor(() => (totals(outFile).get('common') ?? 0) > 0, 60_000, 'the first counts');
        // With the receiver on an executor, losing it loses what its socket had not yet
        // stored; this run kills the namespace without the receiver (see the driver's log).
        const victim = placement === 'executor' ? receiverlessNamespace(c) : 'exec2';
        killNamespace(c, victim);
        await waitFor(() => source.sent() >= LINES, 60_000, 'the source to send everything');
        await waitFor(() => (totals(outFile).get('common') ?? 0) >= LINES, 60_000, `all ${LINES} lines counted`);
        await sleep(1500); // a count arriving late would be a double count
        await stopCluster(c);
        assert.deepEqual(sorted(totals(outFile)), sorted(expected(LINES)));
        assert.match(c.driver.output(), new RegExp(`lost executor .*`));
        const survivor = c.executors.find((e) => e.host !== victim)!;
        assert.match(survivor.proc.output(), /received the job bundle/);
      } finally {
        source.close();
      }
    }),
  );
}

/** The executor namespace that does not host the receiver, from the driver's and executors' logs. */
function receiverlessNamespace(c: Cluster): string {
  const receiverOn = [...c.driver.output().matchAll(/starting receiver .* on executor (\S+)/g)].at(-1)?.[1];
  assert.ok(receiverOn, `the driver placed no receiver:\n${c.driver.output()}`);
  const other = c.executors.find((e) => !new RegExp(`executor ${receiverOn}: received the job bundle`).test(e.proc.output()));
  assert.ok(other, 'an executor namespace without the receiver');
  return other.host;
}

test(
  'Kafka word count across namespaces, the executors reading Kafka; one namespace killed mid-run, counts exact',
  { skip: unavailable ?? (process.env.KAFKA_BROKERS ? false : 'no KAFKA_BROKERS (the test runner starts a broker with --kafka)') },
  withLab(['driver', 'exec1', 'exec2'], async (lab) => {
    const brokers = process.env.KAFKA_BROKERS!;
    const [, portText] = brokers.split(',')[0]!.split(':') as [string, string];
    const port = Number(portText);
    // The broker advertises 127.0.0.1:<port>: every namespace sees it there.
    for (const host of ['driver', 'exec1', 'exec2']) {
      await lab.expose(host, '127.0.0.1', port, { host: '127.0.0.1', port }, forwarder);
    }
    const kafka = await connectTo(brokers);
    const topic = uniqueName('netns-words');
    await kafka.admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
    const producer = await idempotentProducer(kafka.kafka);
    try {
      const outFile = join(scratch, 'kafka.jsonl');
      const c = await startCluster(lab, [], ['kafka', `127.0.0.1:${port}`, topic], outFile);
      let produced = 0;
      const produce = async (n: number) => {
        const values = Array.from({ length: n }, (_, k) => lineOf(produced + k));
        await producer.send({ topic, messages: values.map((value, k) => ({ key: String(produced + k), value })) });
        produced += n;
      };
      await produce(500);
      await waitFor(() => (totals(outFile).get('common') ?? 0) > 0, 60_000, 'the first counts');
      killNamespace(c, 'exec2');
      while (produced < LINES) {
        await produce(250);
        await sleep(150);
      }
      await waitFor(() => (totals(outFile).get('common') ?? 0) >= LINES, 60_000, `all ${LINES} records counted`);
      await sleep(1500);
      await stopCluster(c);
      assert.deepEqual(sorted(totals(outFile)), sorted(expected(LINES)));
    } finally {
      await producer.disconnect();
      await kafka.close();
    }
  }),
);

test(
  'executors in another namespace with the wrong secret are refused; the driver says so',
  { skip: unavailable ?? false },
  withLab(['driver', 'exec1'], async (lab) => {
    const driverAddress = lab.address('driver');
    const driver = run(lab, 'driver', [
      'submit', '--no-ui', '--driver-host', driverAddress, '--driver-port', String(DRIVER_PORT), '--executors', '0',
      '--secret-file', secretFile, job, 'socket', driverAddress, '9', join(scratch, 'unused.jsonl'),
    ]);
    await waitFor(() => /waiting for executors/.test(driver.output()), 60_000, 'the driver to listen');
    const intruder = run(lab, 'exec1', ['executor', '--driver', `${driverAddress}:${DRIVER_PORT}`], { SLUICE_SECRET: 'not the secret' });
    assert.equal(await intruder.exited, 1);
    assert.match(intruder.output(), /could not authenticate to the driver/);
    await waitFor(() => /refused a connection/.test(driver.output()), 20_000, 'the driver to report the refusal');
    assert.match(driver.output(), new RegExp(`refused a connection from ${lab.address('exec1').replaceAll('.', '\\.')}:\\d+: the peer does not know the shared secret`));
    assert.doesNotMatch(driver.output(), /sluice: started/);
    driver.child.kill('SIGKILL');
  }),
);
