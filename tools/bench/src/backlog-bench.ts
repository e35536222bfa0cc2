import { rssMb } from './sample-stats.js';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { submit } from '@sluice/cli';
import type { BatchInfo } from '@sluice/streaming';
import { benchKafka } from './bench-kafka.js';
import { produce } from './kafka-bench.js';
import { progress } from './jobs/kafka-bench-job.js';

const USAGE = `Usage: npm run bench -- backlog [--messages N] [--size BYTES] [--initial-rate R]
                              [--batch-duration D] [--executors N] [--brokers H:P] [--json]

The start-up backlog: --messages records (default 10000000) of --size bytes (default
100) wait in a fresh 4-partition topic; then a job with backpressure on
(backpressureInitialRate --initial-rate, default 100000 records/s) counts them with the
Kafka direct stream from the earliest offset. Prints the first batch's records against
the bound (initial rate x batch duration), the time from submit to the first batch done,
the drain (from the first batch's start until every record is counted: seconds and
records/s), the rate the controller set batch by batch, the peak RSS of the driver and of
each executor (sampled every second), and the count against what was produced (exactly
once: equal). Uses --brokers, else KAFKA_BROKERS, else starts a local broker.
`;


export async function backlogBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      messages: { type: 'string', default: '10000000' },
      size: { type: 'string', default: '100' },
      'initial-rate': { type: 'string', default: '100000' },
      'batch-duration': { type: 'string', default: '1s' },
      executors: { type: 'string', default: '2' },
      brokers: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void process.stdout.write(USAGE);
  const messages = Number(values.messages);
  const size = Number(values.size);
  const initialRate = Number(values['initial-rate']);
  const executors = Number(values.executors);
  if (![messages, size, initialRate, executors].every((n) => Number.isInteger(n) && n >= 1)) {
    throw new Error('--messages, --size, --initial-rate and --executors must be positive integers');
  }
  const loadStart = loadavg();
  const { brokers, kafka, createTopic, close } = await benchKafka(values.brokers, 'sluice-bench-backlog');
  const topic = `sluice-bench-backlog-${Date.now()}`;
  try {
    await createTopic(topic, 4);
    process.stderr.write(`backlog bench: producing ${messages} records of ${size} B\n`);
    const produceSeconds = await produce(kafka, topic, size, messages);
    process.stderr.write(`backlog bench: produced in ${produceSeconds.toFixed(1)} s; starting the job\n`);
    Object.assign(progress, { records: 0, batches: 0, firstBatchStart: 0, lastBatchEnd: 0 });
    const submitted = performance.now();
    const { ssc, pool } = await submit({
      job: fileURLToPath(new URL('./jobs/kafka-bench-job.ts', import.meta.url)),
      args: [brokers, topic, `${topic}-g`, '0'],
      conf: { executors, batchDuration: values['batch-duration'], backpressureEnabled: true, backpressureInitialRate: initialRate, appName: 'backlog-bench' },
      log: (line) => process.stderr.write(`sluice: ${line}\n`),
    });
    const batchMs = ssc.conf.batchDurationMs;
    const batches: { info: BatchInfo; completedAt: number }[] = [];
    ssc.addStreamingListener({ onBatchCompleted: ({ batchInfo }) => batches.push({ info: batchInfo, completedAt: performance.now() }) });
    const peak: Record<string, number> = {};
    const pids = (): [string, number][] => [['driver', process.pid], ...Object.entries(pool?.localExecutorPids ?? {})];
    const sample = () => {
      for (const [name, pid] of pids()) {
        const mb = rssMb(pid);
        if (Number.isFinite(mb)) peak[name] = Math.max(peak[name] ?? 0, Math.round(mb));
      }
    };
    const deadline = Date.now() + 20 * 60_000;
    let lastReport = 0;
    while (progress.records < messages && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      sample();
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        const last = batches.at(-1)?.info;
        process.stderr.write(
          `backlog bench: ${progress.records} of ${messages} counted in ${progress.batches} batches` +
            `${last ? `, last batch ${last.numRecords} at rate ${Object.values(last.streamIdToInputInfo)[0]?.rateLimit ?? '-'}` : ''}, peak RSS ${JSON.stringify(peak)} MB\n`,
        );
      }
    }
    await ssc.stop();
    const loadEnd = loadavg();
    const withRecords = batches.filter((b) => b.info.numRecords > 0);
    const first = withRecords[0];
    const drainS = (progress.lastBatchEnd - progress.firstBatchStart) / 1000;
    const result = {
      bench: 'backlog',
      messages,
      size,
      batch_ms: batchMs,
      executors,
      initial_rate: initialRate,
      produce_s: Number(produceSeconds.toFixed(1)),
      first_batch_records: first?.info.numRecords ?? null,
      first_batch_bound: Math.floor((initialRate * batchMs) / 1000),
      first_batch_rate: first ? (Object.values(first.info.streamIdToInputInfo)[0]?.rateLimit ?? null) : null,
      submit_to_first_batch_done_s: first ? Number(((first.completedAt - submitted) / 1000).toFixed(2)) : null,
      drain_s: Number(drainS.toFixed(1)),
      drain_records_per_s: Math.round(progress.records / drainS),
      batches: withRecords.length,
      largest_batch_records: Math.max(...withRecords.map((b) => b.info.numRecords)),
      max_scheduling_delay_ms: Math.max(...withRecords.map((b) => b.info.schedulingDelay ?? 0)),
      rates: withRecords.map((b) => `${b.info.numRecords}@${Object.values(b.info.streamIdToInputInfo)[0]?.rateLimit ?? '-'}`).join(' '),
      peak_rss_mb: peak,
      counted: progress.records,
      exact: progress.records === messages,
      load_start: loadStart.map((l) => Number(l.toFixed(2))),
      load_end: loadEnd.map((l) => Number(l.toFixed(2))),
    };
    process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
    if (!result.exact) throw new Error(`counted ${progress.records} records, produced ${messages}`);
  } finally {
    await close();
  }
}
