import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { submit } from '@sluice/cli';
import { Partitioners, type Kafka } from 'kafkajs';
import { benchKafka } from './bench-kafka.js';
import { progress } from './jobs/kafka-bench-job.js';

const USAGE = `Usage: npm run bench -- kafka [--size BYTES] [--messages N] [--runs N] [--executors N]
                       [--executor-cores N] [--batch-duration D] [--max-rate-per-partition R]
                       [--brokers H:P] [--json]

Produces --messages messages of --size bytes into a fresh 4-partition topic, then reads
them all with a bare kafkajs consumer (raw_msgs_per_s, from its first batch to its last)
and with the direct stream on --executors executors counting them (engine_msgs_per_s,
from the start of the first batch with records to the end of the batch that counted the
last one; the count is checked). Each is measured --runs times, alternately, each time
as a new consumer group; the medians are reported. Uses --brokers, else KAFKA_BROKERS,
else starts a local broker.
`;

const PARTITIONS = 4;
const PRODUCE_REQUEST_BYTES = 768 * 1024;

export async function kafkaBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string', default: '1024' },
      messages: { type: 'string', default: '100000' },
      runs: { type: 'string', default: '3' },
      executors: { type: 'string', default: '2' },
      'executor-cores': { type: 'string', default: '1' },
      'batch-duration': { type: 'string', default: '1s' },
      'max-rate-per-partition': { type: 'string', default: '0' },
      brokers: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const size = Number(values.size);
  const messages = Number(values.messages);
  const runs = Number(values.runs);
  if (![size, messages, runs].every((n) => Number.isInteger(n) && n >= 1)) {
    throw new Error('--size, --messages and --runs must be positive integers');
  }
  const { brokers, kafka, createTopic, close } = await benchKafka(values.brokers, 'sluice-bench');
  const topic = `sluice-bench-kafka-${size}-${Date.now()}`;
  try {
    await createTopic(topic, PARTITIONS);
    const produceSeconds = await produce(kafka, topic, size, messages);
    const rawRuns: number[] = [];
    const engineRuns: { seconds: number; batches: number }[] = [];
    // Alternated, so that a burst of load from elsewhere on the machine hits both sides.
    for (let run = 0; run < runs; run++) {
      rawRuns.push((await measureRaw(kafka, topic, messages, run)).seconds);
      engineRuns.push(await measureEngine(brokers, topic, messages, run, {
        executors: Number(values.executors),
        executorCores: Number(values['executor-cores']),
        batchDuration: values['batch-duration'],
      }, values['max-rate-per-partition']));
    }
    const raw = { seconds: median(rawRuns) };
    const engine = { seconds: median(engineRuns.map((r) => r.seconds)), batches: median(engineRuns.map((r) => r.batches)) };
    const result = {
      engine_msgs_per_s: Math.round(messages / engine.seconds),
      raw_msgs_per_s: Math.round(messages / raw.seconds),
      ratio: Number((raw.seconds / engine.seconds).toFixed(3)),
      size,
      messages,
    };
    if (values.json) {
      process.stdout.write(JSON.stringify(result) + '\n');
    } else {
      const mb = (n: number) => ((n * size) / 1e6).toFixed(1);
      process.stdout.write(
        `Kafka direct stream, ${messages} messages of ${size} bytes in ${PARTITIONS} partitions (produced in ${produceSeconds.toFixed(1)} s)\n` +
          `  bare kafkajs consumer: ${result.raw_msgs_per_s} msg/s (${mb(result.raw_msgs_per_s)} MB/s), median of ${seconds(rawRuns)}\n` +
          `  direct stream, ${values.executors} executors: ${result.engine_msgs_per_s} msg/s (${mb(result.engine_msgs_per_s)} MB/s), ` +
          `median of ${seconds(engineRuns.map((r) => r.seconds))}, ${engine.batches} batch(es) each\n` +
          `  ratio engine/raw: ${result.ratio}\n`,
      );
    }
  } finally {
    await close();
  }
}

/** Fills the topic: requests of up to 768 KiB, four in flight, spread over the partitions. */
export async function produce(kafka: Kafka, topic: string, size: number, total: number): Promise<number> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const started = performance.now();
  const value = randomBytes(size);
  const perRequest = Math.max(1, Math.floor(PRODUCE_REQUEST_BYTES / (size + 70)));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const start = next;
      const n = Math.min(perRequest, total - start);
      next += n;
      const partition = Math.floor(start / perRequest) % PARTITIONS;
      await producer.send({ topic, acks: 1, messages: Array.from({ length: n }, () => ({ value, partition })) });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await producer.disconnect();
  return (performance.now() - started) / 1000;
}

/** A kafkajs consumer group reading the topic from the beginning; timed from its first batch to its last. */
async function measureRaw(kafka: Kafka, topic: string, total: number, run: number): Promise<{ seconds: number }> {
  const consumer = kafka.consumer({ groupId: `${topic}-raw-${run}`, maxBytes: 10 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let read = 0;
  let first = 0;
  let last = 0;
  const done = new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`raw consumer read ${read} of ${total} messages in 120 s`)), 120_000);
    void consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        if (first === 0) first = performance.now();
        read += batch.messages.length;
        last = performance.now();
        if (read >= total) {
          clearTimeout(timeout);
          resolve();
        }
      },
    });
  });
  await done;
  await consumer.disconnect();
  if (read !== total) throw new Error(`raw consumer read ${read} messages, expected ${total}`);
  return { seconds: (last - first) / 1000 };
}

async function measureEngine(
  brokers: string,
  topic: string,
  total: number,
  run: number,
  conf: { executors: number; executorCores: number; batchDuration: string },
  maxRatePerPartition: string,
): Promise<{ seconds: number; batches: number }> {
  Object.assign(progress, { records: 0, batches: 0, firstBatchStart: 0, lastBatchEnd: 0 });
  const { ssc } = await submit({
    job: fileURLToPath(new URL('./jobs/kafka-bench-job.ts', import.meta.url)),
    args: [brokers, topic, `${topic}-engine-${run}`, maxRatePerPartition],
    conf,
    log: (line) => process.stderr.write(`sluice: ${line}\n`),
  });
  const deadline = Date.now() + 120_000;
  while (progress.records < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await ssc.stop();
  if (progress.records !== total) throw new Error(`the direct stream counted ${progress.records} messages, expected ${total}`);
  return { seconds: (progress.lastBatchEnd - progress.firstBatchStart) / 1000, batches: progress.batches };
}


function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function seconds(values: number[]): string {
  return values.map((v) => `${v.toFixed(2)} s`).join(', ');
}
