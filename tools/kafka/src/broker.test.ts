// Starts a real broker with this tool (never KAFKA_BROKERS: the tool itself is under test)
// and checks what the project relies on: topics, produce/consume, consumer groups,
// transactions with read_committed isolation, and a clean stop.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Kafka, Partitioners, logLevel, type Consumer } from 'kafkajs';
import { startLocalBroker, type LocalBroker } from './broker.js';

const TIMEOUT = 180_000;

describe('startLocalBroker', { timeout: TIMEOUT }, () => {
  let broker: LocalBroker;
  let kafka: Kafka;

  before(async () => {
    broker = await startLocalBroker({ log: (line) => console.log(`[kafka] ${line}`) });
    kafka = new Kafka({ clientId: 'broker-test', brokers: [broker.brokers], logLevel: logLevel.WARN });
  });

  after(async () => {
    await broker?.stop();
  });

  test('listens on 127.0.0.1 and writes its log', () => {
    assert.match(broker.brokers, /^127\.0\.0\.1:\d+$/);
    assert.ok(existsSync(broker.logFile), `log file ${broker.logFile} exists`);
  });

  test('creates a topic, produces and consumes through a consumer group', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'plain', numPartitions: 2 }], waitForLeaders: true });
      assert.ok((await admin.listTopics()).includes('plain'));
    } finally {
      await admin.disconnect();
    }

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: 'plain',
      messages: ['a', 'b', 'c'].map((value) => ({ key: value, value })),
    });
    await producer.disconnect();

    const values = await consume(kafka.consumer({ groupId: 'plain-readers' }), 'plain', 3);
    assert.deepEqual(values.sort(), ['a', 'b', 'c']);
  });

  // kafkajs logs retriable broker answers at ERROR level; here expect "does not host this
  // topic-partition" (tx-out is auto-created on first send) and CONCURRENT_TRANSACTIONS (the
  // broker is still writing the abort markers when the next transaction starts). Both are retried.
  test('commits transactions and hides aborted ones from read_committed consumers', async () => {
    const producer = kafka.producer({
      transactionalId: 'broker-test-tx',
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    try {
      const aborted = await producer.transaction();
      await aborted.send({ topic: 'tx-out', messages: [{ value: 'aborted' }] });
      await aborted.abort();

      const committed = await producer.transaction();
      await committed.send({ topic: 'tx-out', messages: [{ value: 'one' }, { value: 'two' }] });
      await committed.commit();
    } finally {
      await producer.disconnect();
    }

    // kafkajs consumers read committed data only unless readUncommitted is set.
    const values = await consume(kafka.consumer({ groupId: 'tx-readers' }), 'tx-out', 2);
    assert.deepEqual(values, ['one', 'two']);
  });

  test('stop() ends the broker, closes its port and removes its temp directory', async () => {
    const port = Number(broker.brokers.split(':')[1]);
    await broker.stop();
    await broker.exited;
    assert.equal(await isListening(port), false);
    assert.equal(existsSync(dirname(broker.logFile)), false);
    await broker.stop(); // a second stop is harmless
  });
});

test('the broker dies with the Node process that started it', { timeout: TIMEOUT }, async () => {
  const brokerModule = fileURLToPath(new URL('./broker.ts', import.meta.url));
  const script = `
    const { startLocalBroker } = await import(${JSON.stringify(brokerModule)});
    const broker = await startLocalBroker({ log: () => {} });
    console.log(JSON.stringify({ brokers: broker.brokers, logFile: broker.logFile }));
    process.exit(0); // no stop(): the exit handler must clean up
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0);
  const { brokers, logFile } = JSON.parse(out.trim().split('\n').pop()!) as { brokers: string; logFile: string };
  const port = Number(brokers.split(':')[1]);
  // SIGKILL is asynchronous: give the kernel a moment to tear the JVM down.
  for (let i = 0; i < 50 && (await isListening(port)); i++) await sleep(100);
  assert.equal(await isListening(port), false);
  assert.equal(existsSync(dirname(logFile)), false);
});

test('a broker that cannot start says why', { timeout: TIMEOUT }, async () => {
  const squatter = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => squatter.once('listening', resolve));
  const port = (squatter.address() as { port: number }).port;
  try {
    await assert.rejects(startLocalBroker({ port, log: () => {} }), (err: Error) => {
      assert.match(err.message, /Kafka did not start/);
      assert.match(err.message, /Address already in use/);
      // The work dir is kept for a post-mortem; this test has seen what it needed.
      const kept = /kept at (\S+) ---/.exec(err.message)?.[1];
      if (kept) rmSync(dirname(kept), { recursive: true, force: true });
      return true;
    });
  } finally {
    squatter.close();
  }
});

async function consume(consumer: Consumer, topic: string, count: number): Promise<string[]> {
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const received = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value?.toString() ?? '');
        if (values.length >= count) done();
      },
    });
    const giveUp = new AbortController();
    const timeout = sleep(60_000, undefined, { signal: giveUp.signal }).then(() => {
      throw new Error(`received ${values.length} of ${count} messages from ${topic} in 60 s`);
    });
    timeout.catch(() => {}); // the abort below rejects it once the messages are in
    try {
      await Promise.race([received, timeout]);
    } finally {
      giveUp.abort();
    }
  } finally {
    await consumer.disconnect();
  }
  return values;
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
