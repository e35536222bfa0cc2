/**
 * sluice-classify over a Kafka backlog: launch to first result, backlog drain, throughput.
 *
 *   node --import tsx tools/bench/src/classify/kafka-backlog.ts --images DIR --brokers H:P
 *        [--count 1000] [--partitions 4] [--executors 2] [--batch-size 8] [--rounds 1]
 *        [--model SPEC] [--backend auto|wasm|tensorflow] [--order default,single-batch,single-batch,default] [--json]
 *        [--baseline-bin PATH]
 *
 * Produces --count images (the directory cycled, key = a unique name) into a fresh topic,
 * then launches `sluice-classify --source kafka://... --starting-offsets earliest --count N`
 * with a fresh group, twice per round in the order A B B A (or --order, to split the
 * alternation over several shorter runs):
 *   A  default: no rate flag (backpressure sets the rate, from one inference batch per
 *      executor core per batch duration);
 *   B  single batch: --no-backpressure and --max-rate-per-partition far above the
 *      backlog, so the whole backlog is one batch, as before the classifier had a rate
 *      (results still leave as each task finishes);
 *   or baseline: another build's sluice-classify (--baseline-bin, e.g. an older checkout's
 *      apps/classify/bin/sluice-classify.mjs) with no rate flag, its own default.
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
import { imageSequence, readImageDirectory } from './image-set.js';

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
    backend: { type: 'string' },
    order: { type: 'string', default: 'default,single-batch,single-batch,default' },
    json: { type: 'boolean', default: false },
    'baseline-bin': { type: 'string' },
  },
});
if (!values.images || !values.brokers) throw new Error('--images DIR and --brokers H:P (or KAFKA_BROKERS) are required');
const count = Number(values.count);
const order = values.order.split(',').map((m) => m.trim());
for (const m of order) if (m !== 'default' && m !== 'single-batch' && m !== 'baseline') throw new Error(`--order: "${m}" is not default, single-batch or baseline`);
if (order.includes('baseline') && !values['baseline-bin']) throw new Error('--order with baseline needs --baseline-bin PATH');
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
  for (const mode of order) {
    const summaryPath = join(dir, `summary-${runs.length}.json`);
    const args = [
      mode === 'baseline' ? values['baseline-bin']! : classifyBin,
      '--source', `kafka://${values.brokers}/${topic}`,
      '--starting-offsets', 'earliest',
      '--kafka-group', `bench-${Date.now()}-${runs.length}`,
      '--executors', values.executors,
      '--batch-size', values['batch-size'],
      '--count', String(count),
      '--output', `jsonl:${join(dir, `out-${runs.length}.jsonl`)}`,
      '--summary-json', summaryPath,
      ...(values.model ? ['--model', values.model] : []),
      ...(values.backend ? ['--backend', values.backend] : []),
      '--no-ui',
      ...(mode === 'single-batch' ? ['--no-backpressure', '--max-rate-per-partition', String(count * 1000)] : []),
    ];
    const [load] = loadavg() as [number, number, number];
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] }).on('exit', resolve));
    const wall = Date.now() - started;
    const s = JSON.parse(await readFile(summaryPath, 'utf8')) as Record<string, unknown>;
    const run = {
      mode, backend: values.backend ?? 'auto', code, images: s['images'], startup_ms: Number(s['startup_ms']), backlog_images: s['backlog_images'], backlog_drain_ms: Number(s['backlog_drain_ms']),
      images_per_s: Number(s['images_per_s']), wall_ms: wall, batches: s['batches'], source_rates: s['source_rates'], latency_ms: s['latency_ms'], load_1m: Math.round(load * 10) / 10,
    };
    runs.push(run);
    process.stdout.write(values.json ? `${JSON.stringify(run)}\n` : `${mode}: startup ${run.startup_ms} ms, drain ${run.backlog_drain_ms} ms, ${run.images_per_s} images/s, wall ${wall} ms (load ${run.load_1m})\n`);
  }
}
