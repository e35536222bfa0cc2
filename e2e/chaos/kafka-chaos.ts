/**
 * The chaos run over Kafka: a producer writes `key,seq` records to an input topic; the
 * chaos job reads them with the direct stream, keeps a running count per key and writes
 * `key,seq,count` to an output topic with the exactly-once output. Meanwhile an executor,
 * the driver (kill -9, restarted with the same checkpoint directory) and the broker
 * (stopped and started again on its kept data directory, same port) are killed in turn.
 * The checker reads the output topic read_committed: nothing lost, nothing twice, counts exact.
 *
 *   npm run chaos -- --kafka --seconds 120
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { startLocalBroker, type LocalBroker } from '@sluice/kafka-broker';
import { checkLines, type CheckResult } from './chaos-checker.js';
import { childPids, sleep, startDriver, type Driver } from './chaos-run.js';
import { sequenceLine } from './sequence-line.js';

export interface KafkaChaosOptions {
  seconds: number;
  rate: number;
  keys: number;
  killEverySeconds: number;
  batchDuration: string;
  maxRatePerPartition: number;
  /** Also stop and restart the broker in turn (see docs/reliability.md for what that shows today). */
  brokerKills: boolean;
  /** How long the broker stays down when it is killed: long enough for batches in flight to fail. */
  brokerDownSeconds?: number;
  log: (line: string) => void;
}

export interface KafkaChaosReport {
  kills: { kind: 'executor' | 'driver' | 'broker'; atSecond: number; recoveryMs?: number; moduleLoadMs?: number; breakdown?: string }[];
  check: CheckResult;
  /**
   * Records the producer wrote twice to the input topic (a send whose answer was lost in a
   * broker restart is sent again): deliveries the job must count, not engine duplicates.
   */
  inputDuplicates: number;
  workDir: string;
}

export async function runKafkaChaos(o: KafkaChaosOptions): Promise<KafkaChaosReport> {
  const work = mkdtempSync(join(tmpdir(), 'sluice-kafka-chaos-'));
  const brokerDir = join(work, 'broker');
  const quiet = () => {};
  let broker: LocalBroker = await startLocalBroker({ dataDir: brokerDir, log: quiet });
  const port = Number(broker.brokers.split(':')[1]);
  const kafka = new Kafka({ brokers: [broker.brokers], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  const admin = kafka.admin();
  await admin.connect();
  const inTopic = 'chaos-in';
  const outTopic = 'chaos-out';
  await admin.createTopics({ topics: [{ topic: inTopic, numPartitions: 3 }, { topic: outTopic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();

  const driverLog = createWriteStream(join(work, 'driver.log'));
  const jobArgs = ['kafka', broker.brokers, inTopic, outTopic, 'chaos-group', String(o.maxRatePerPartition)];
  const kills: KafkaChaosReport['kills'] = [];
  let produced = 0;
  let producing = true;
  let producer: Producer | null = null;
  // Produces line i = k<i mod keys>,<i div keys> at `rate`, keyed by key (a key's records stay in order in one partition).
  const production = (async () => {
    const started = Date.now();
    while (producing) {
      const due = Math.floor(((Date.now() - started) / 1000) * o.rate);
      if (due > produced) {
        const lines = Array.from({ length: due - produced }, (_, j) => sequenceLine(produced + j, o.keys));
        try {
          producer ??= await connectProducer(kafka);
          await producer.send({ topic: inTopic, acks: -1, messages: lines.map((l) => ({ key: l.split(',')[0]!, value: l })) });
          produced += lines.length;
        } catch {
          // The broker is down: the same lines are sent again once it is back (idempotent producer).
          await producer?.disconnect().catch(() => {});
          producer = null;
          await sleep(500);
        }
      }
      await sleep(50);
    }
  })();

  let driver: Driver = startDriver(join(work, 'checkpoint'), jobArgs, o, driverLog, []);
  let started = Date.now();
  let check: CheckResult | null = null;
  try {
    await driver.ready;
    // The kill schedule starts once the job runs (starting it under load can take seconds).
    started = Date.now();
    // The broker first, so that even a short run has a broker outage long enough for batches in flight to fail.
    const order: ('executor' | 'driver' | 'broker')[] = o.brokerKills ? ['broker', 'executor', 'driver'] : ['executor', 'driver'];
    let k = 0;
    // Every kind of kill at least once, even when restarts take longer than planned.
    while (Date.now() - started < o.seconds * 1000 || k < order.length) {
      await sleep(o.killEverySeconds * 1000);
      if (Date.now() - started >= o.seconds * 1000 && k >= order.length) break;
      const kind = order[k++ % order.length]!;
      const atSecond = Math.round((Date.now() - started) / 100) / 10;
      if (kind === 'executor') {
        const pids = childPids(driver.child.pid!);
        if (pids[0] === undefined) continue;
        process.kill(pids[0], 'SIGKILL');
        kills.push({ kind, atSecond });
        o.log(`${atSecond}s: killed executor process ${pids[0]}`);
      } else if (kind === 'driver') {
        const record: KafkaChaosReport['kills'][number] = { kind, atSecond };
        kills.push(record);
        driver.child.kill('SIGKILL');
        await driver.exited;
        o.log(`${atSecond}s: killed the driver (kill -9); restarting it with the same checkpoint directory`);
        driver = startDriver(join(work, 'checkpoint'), jobArgs, o, driverLog, []);
        void driver.recovered.then((r) => {
          record.recoveryMs = r.totalMs;
          record.moduleLoadMs = r.loadMs;
          record.breakdown = r.breakdown;
        });
        await driver.ready;
      } else {
        kills.push({ kind, atSecond });
        o.log(`${atSecond}s: stopping the broker; starting it again on the same data directory and port`);
        await broker.stop();
        await sleep((o.brokerDownSeconds ?? 6) * 1000);
        broker = await startLocalBroker({ dataDir: brokerDir, port, log: quiet });
        o.log('broker is back');
      }
    }
    producing = false;
    await production;
    o.log(`producer stopped after ${produced} records; reading the output topic`);
    const deadline = Date.now() + 90_000;
    let values: string[] = [];
    do {
      values = await readCommittedValues(kafka, outTopic);
      check = checkLines([{ source: outTopic, lines: values }], produced, o.keys);
      if (check.lost === 0) break;
      await sleep(2000);
    } while (Date.now() < deadline);
    const input = await readCommittedValues(kafka, inTopic);
    const inputDuplicates = input.length - new Set(input).size;
    return { kills, check, inputDuplicates, workDir: work };
  } finally {
    producing = false;
    await (producer as Producer | null)?.disconnect().catch(() => {});
    if (driver.child.exitCode === null) {
      driver.child.kill('SIGTERM');
      await Promise.race([driver.exited, sleep(15_000)]);
      if (driver.child.exitCode === null) driver.child.kill('SIGKILL');
    }
    driverLog.end();
    await broker.stop();
    const ok = check !== null && check.lost === 0 && check.duplicateOutputs === 0 && check.keysWithWrongCounts.length === 0;
    if (ok && !process.env.CHAOS_KEEP) rmSync(work, { recursive: true, force: true });
  }
}

async function connectProducer(kafka: Kafka): Promise<Producer> {
  const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 2 }, createPartitioner: Partitioners.DefaultPartitioner });
  await p.connect();
  return p;
}

/** Every committed value of the topic, from the start (a fresh consumer group, read_committed). */
async function readCommittedValues(kafka: Kafka, topic: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const target = new Map(ends.map((e) => [e.partition, Number(e.high)]));
  const consumer = kafka.consumer({ groupId: `chaos-check-${Date.now()}-${Math.random()}`, readUncommitted: false });
  const values: string[] = [];
  const reached = new Map<number, number>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        // Transaction markers take offsets too: "reached" is the next offset after what was read.
        reached.set(partition, Number(message.offset) + 1);
        if (message.value) values.push(message.value.toString());
      },
    });
    const until = Date.now() + 15_000;
    while (Date.now() < until && [...target].some(([p, high]) => high > 0 && (reached.get(p) ?? 0) < high - 1)) await sleep(200);
    await sleep(500);
  } finally {
    await consumer.disconnect();
  }
  return values;
}

export function formatKafkaReport(r: KafkaChaosReport): string {
  const c = r.check;
  const count = (k: string) => r.kills.filter((x) => x.kind === k).length;
  const rec = r.kills.filter((x) => x.recoveryMs !== undefined);
  return [
    `kafka chaos: kills: ${count('executor')} executor(s), ${count('driver')} driver(s), ${count('broker')} broker restart(s)`,
    `records in ${c.recordsIn}, records out ${c.recordsOut}, lost ${c.lost}, duplicate deliveries ${c.duplicateDeliveries} ` +
      `(the producer wrote ${r.inputDuplicates} record(s) twice to the input topic), duplicate outputs ${c.duplicateOutputs}`,
    `per-key counts exact: ${c.keysWithWrongCounts.length === 0 ? 'yes' : `NO (${c.keysWithWrongCounts.slice(0, 10).join(', ')})`}; unknown records ${c.unknownRecords}`,
    `recovery per driver kill (of which module load): ${rec.length ? rec.map((x) => `${x.recoveryMs} ms (${x.moduleLoadMs} ms)`).join(', ') : 'n/a'}`,
    ...rec.map((x) => `  driver kill at ${x.atSecond}s: ${x.breakdown}`),
    ...c.examples.map((e) => `  ${e}`),
  ].join('\n');
}
