/**
 * sluice-classify over a Kafka backlog: launch to first result, backlog drain, throughput.
 *
 *   node --import tsx tools/bench/src/classify/kafka-backlog.ts --images DIR --brokers H:P
 *        [--count 1000] [--partitions 4] [--executors 2] [--batch-size 8] [--rounds 1]
 *        [--model SPEC] [--json]
 *
 * Produces --count images (the directory cycled, key = a unique name) into a fresh topic,
 * then launches `sluice-classify --source kafka://... --starting-offsets earliest --count N`
 * with a fresh group, twice per round in the order A B B A:
 *   A  default: no rate flag (the rate follows the classifier's throughput);
 *   B  single batch: --max-rate-per-partition far above the backlog, so the whole
 *      backlog is one batch, as before the classifier had a rate (results still leave
 *      as each task finishes).
 * Each run's figures come from its --summary-json: startup_ms (launch to the first
 * result), backlog_drain_ms, images_per_s, and the wall time from launch to exit.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { imageSequence, readImageDirectory } from './image-set';

const classifyBin = fileURLToPath(new URL('../../../../apps/classify/bin/sluice-classify.mjs', import.meta.url));

const { values } = parseArgs({
  options: {
    images: { type: 'string' },
    brokers: { type: 'string', default: process.env.KAFKA_BROKERS },
    count: { type: 'string', default: '1000' },
    partitions: { type: 'string', default: '4' },
    executors: { type: 'string', default: '2' },
    'batch-size': { type: 'string', default: '8' },
    rounds: { type: 'string', default: '1' },
    model: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
if (!values.images || !values.brokers) throw new Error('--images DIR and --brokers H:P (or KAFKA_BROKERS) are required');
const count = Number(values.count);
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

const kafka = new Kafka({ clientId: 'sluice-bench', brokers: values.brokers.split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
await Promise.all([admin.connect(), producer.connect()]);
const topic = `classify-backlog-${Date.now()}`;
await admin.createTopics({ topics: [{ topic, numPartitions: Number(values.partitions) }], waitForLeaders: true });
const images = imageSequence(await readImageDirectory(values.images), count);
for (let i = 0; i < images.length; i += 5) {
  await producer.send({ topic, messages: images.slice(i, i + 5).map((img, j) => ({ key: `${String(i + j).padStart(5, '0')}-${img.name}`, value: img.bytes })) });
}
await Promise.all([admin.disconnect(), producer.disconnect()]);

const dir = await mkdtemp(join(tmpdir(), 'classify-backlog-'));
const runs: Record<string, unknown>[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  for (const mode of ['default', 'single-batch', 'single-batch', 'default'] as const) {
    const summaryPath = join(dir, `summary-${runs.length}.json`);
    const args = [
      classifyBin,
      '--source', `kafka://${values.brokers}/${topic}`,
      '--starting-offsets', 'earliest',
      '--kafka-group', `bench-${Date.now()}-${runs.length}`,
      '--executors', values.executors,
      '--batch-size', values['batch-size'],
      '--count', String(count),
      '--output', `jsonl:${join(dir, `out-${runs.length}.jsonl`)}`,
      '--summary-json', summaryPath,
      ...(values.model ? ['--model', values.model] : []),
      ...(mode === 'single-batch' ? ['--max-rate-per-partition', String(count * 1000)] : []),
    ];
    const [load] = loadavg() as [number, number, number];
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] }).on('exit', resolve));
    const wall = Date.now() - started;
    const s = JSON.parse(await readFile(summaryPath, 'utf8')) as Record<string, unknown>;
    const run = {
      mode, code, images: s['images'], startup_ms: Number(s['startup_ms']), backlog_images: s['backlog_images'], backlog_drain_ms: Number(s['backlog_drain_ms']),
      images_per_s: Number(s['images_per_s']), wall_ms: wall, batches: s['batches'], latency_ms: s['latency_ms'], load_1m: Math.round(load * 10) / 10,
    };
    runs.push(run);
    process.stdout.write(values.json ? `${JSON.stringify(run)}\n` : `${mode}: startup ${run.startup_ms} ms, drain ${run.backlog_drain_ms} ms, ${run.images_per_s} images/s, wall ${wall} ms (load ${run.load_1m})\n`);
  }
}
