import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { openTransactionProbe, produceValues, range, readCommitted, testKafka, uniqueName, type TestKafka } from '../fixtures/kafka-helpers.js';
import { sleep, waitFor } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sluice = fileURLToPath(new URL('../../packages/cli/bin/sluice.mjs', import.meta.url));
const job = fileURLToPath(new URL('../fixtures/kafka-jobs.ts', import.meta.url));

interface Driver {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `sluice submit` as a separate driver process, so that it can be killed like a real one. */
function startDriver(args: string[]): Driver {
  const child = spawn(process.execPath, [sluice, 'submit', '--executors', '2', '--batch-duration', '500ms', job, ...args], {
    cwd: root,
    env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** Records written to `topic` so far, committed or not (markers included): a progress gauge. */
async function highWatermarkSum(k: TestKafka, topic: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await k.admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
    } catch (err) {
      // Right after a topic is created its leader may not be known everywhere yet.
      if (attempt >= 10) throw err;
      await sleep(200);
    }
  }
}

describe('exactly-once output to Kafka', { timeout: 150_000 }, () => {
  let k: TestKafka;
  before(async () => {
    k = await testKafka();
  });
  after(async () => {
    await k.close();
  });

  test('a driver killed with SIGKILL mid-stream and restarted writes each input exactly once (read_committed)', async () => {
    const input = uniqueName('eos-in');
    const output = uniqueName('eos-out');
    const group = uniqueName('eos-group');
    await k.admin.createTopics({ topics: [{ topic: input, numPartitions: 4 }, { topic: output, numPartitions: 2 }], waitForLeaders: true });
    const total = 6000;
    const values = range('r', 0, total);
    // Fed over about 12 s: the first two drivers are killed while input keeps arriving
    // and transactions are being written, not after the work is done.
    const feeding = (async () => {
      for (let fed = 0; fed < total; fed += 250) {
        await produceValues(k.producer, input, values.slice(fed, fed + 250));
        await sleep(500);
      }
    })();
    const args = ['eos', k.brokers, input, group, output, '500'];
    const drivers: Driver[] = [];
    const probe = await openTransactionProbe(k.brokers, output);
    let killedInTransaction = 0;
    try {
      for (const lifetimeMs of [3000, 2000]) {
        const driver = startDriver(args);
        drivers.push(driver);
        const before = await highWatermarkSum(k, output);
        // Let it start and write some transactions, then kill it without warning, at a
        // moment when one of its transactions is open if the probe catches one.
        await waitFor(() => driver.output().includes('started'), 20_000, 'the driver to start');
        await sleep(lifetimeMs);
        const deadline = Date.now() + 3000;
        while (Date.now() < deadline && !(await probe.isOpen())) await sleep(2);
        driver.child.kill('SIGKILL');
        if (await probe.isOpen()) killedInTransaction++;
        await driver.exited;
        assert.ok((await highWatermarkSum(k, output)) > before, `driver ${drivers.length} wrote to the output before it was killed:\n${driver.output()}`);
      }
      const last = startDriver(args);
      drivers.push(last);
      await feeding;
      const seen = await readCommitted(k.kafka, output, total, 60_000);
      const counts = new Map<string, number>();
      for (const v of seen) counts.set(v, (counts.get(v) ?? 0) + 1);
      const duplicated = [...counts].filter(([, n]) => n > 1).map(([v]) => v);
      const missing = values.filter((v) => !counts.has(`out-${v}`));
      assert.deepEqual(duplicated, [], 'no input written twice');
      assert.deepEqual(missing, [], 'no input lost');
      assert.equal(seen.length, total);
      assert.ok(killedInTransaction > 0, 'at least one driver was killed with a transaction open');
      // The earlier drivers may have written everything already: stop the last one once it runs, not while it starts.
      await waitFor(() => last.output().includes('started'), 20_000, 'the last driver to start');
      last.child.kill('SIGTERM');
      assert.equal(await last.exited, 0, last.output());
    } finally {
      await probe.close();
      for (const d of drivers) if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGKILL');
      await feeding.catch(() => undefined);
    }
  });
});
