import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadFigures, pairsOptions, printResult, sleep, startPairsBench } from './generated-pairs-bench.js';
import { percentile } from './sample-stats.js';
import { progress } from './jobs/state-bench-job.js';

const USAGE = `Usage: npm run bench -- state [--keys N] [--rate N] [--seconds S] [--executors N]
                            [--batch-duration D] [--partitions N] [--timeout D]
                            [--checkpoint DIR] [--json]

mapWithState holding --keys keys (default 1000000) with --rate updates per second
(default 100000) on --executors executor processes (default 2) at --batch-duration
(default 1s), for --seconds (default 300). The updates are generated on the executors
(--keys must not be a multiple of 7919, which spreads consecutive updates over the keys);
every key is updated once every keys/rate seconds, so all keys are held from then on.
Prints the processing time per batch (median, p95, max; the first 15 s left out) against
the batch duration, and the RSS of the driver and of each executor at the start (15 s in)
and at the end, and checks that the state holds exactly the updates sent.
With --checkpoint DIR the job checkpoints there (metadata every batch, the state at its
default interval). RSS and heap (used, as process.memoryUsage() reports it) of the driver
and each executor are sampled every 30 s: a long run shows whether memory stays flat.
`;

export async function stateBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...pairsOptions({ keys: '1000000' }),
      seconds: { type: 'string', default: '300' },
      timeout: { type: 'string' },
      checkpoint: { type: 'string' },
    },
  });
  if (values.help) return void process.stdout.write(USAGE);
  const keys = Number(values.keys);
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const executors = Number(values.executors);
  const partitions = Number(values.partitions ?? executors);
  if (!(keys > 0 && rate > 0 && seconds > 15 && executors > 0 && partitions > 0)) throw new Error('--keys, --rate, --executors, --partitions must be positive and --seconds > 15');
  const heapDir = mkdtempSync(join(tmpdir(), 'sluice-state-bench-heap-'));
  const { ssc, processing, pids, sampleRss, loadStart } = await startPairsBench({
    job: fileURLToPath(new URL('./jobs/state-bench-job.ts', import.meta.url)),
    args: [String(keys), String(rate), String(executors), String(partitions), values.timeout ?? '', heapDir],
    executors,
    batchDuration: values['batch-duration'],
    appName: 'state-bench',
    checkpointDir: values.checkpoint,
  });
  const batchMs = ssc.conf.batchDurationMs;
  const ratePerBatch = Math.round((rate * batchMs) / 1000);
  const sampleHeap = (): Record<string, number> => {
    const heaps: Record<string, number> = { driver: Math.round(process.memoryUsage().heapUsed / 1048576) };
    for (const [name, pid] of pids()) {
      if (name === 'driver') continue;
      // One file per thread of the executor (main and task threads): their heaps add up.
      let used = 0;
      let files = 0;
      for (const file of readdirSync(heapDir).filter((f) => f.startsWith(`heap-${pid}-`))) {
        try {
          used += (JSON.parse(readFileSync(join(heapDir, file), 'utf8')) as { heapUsed: number }).heapUsed;
          files++;
        } catch {
          // Being rewritten at this moment: the next sample reads it.
        }
      }
      heaps[name] = files > 0 ? Math.round(used / 1048576) : Number.NaN;
    }
    return heaps;
  };
  const started = Date.now();
  await sleep(15_000);
  const rssStart = sampleRss();
  const rssSamples: { s: number; rss: Record<string, number>; heap: Record<string, number> }[] = [{ s: 15, rss: rssStart, heap: sampleHeap() }];
  while (Date.now() - started < seconds * 1000) {
    await sleep(Math.min(30_000, seconds * 1000 - (Date.now() - started)));
    rssSamples.push({ s: Math.round((Date.now() - started) / 1000), rss: sampleRss(), heap: sampleHeap() });
    const last = rssSamples.at(-1)!;
    process.stderr.write(`state bench: ${last.s} s, ${progress.batches} batches, RSS ${JSON.stringify(last.rss)} MB, heap used ${JSON.stringify(last.heap)} MB\n`);
  }
  const rssEnd = sampleRss();
  progress.snapshotNow = true;
  const deadline = Date.now() + 60_000;
  while (!progress.snapshot && Date.now() < deadline) await sleep(100);
  await ssc.stop();
  rmSync(heapDir, { recursive: true, force: true });
  const loadEnd = loadFigures();
  const steady = processing.filter((p) => p.time - processing[0]!.time >= 15_000).map((p) => p.ms);
  const snap = progress.snapshot;
  const expectedKeys = snap ? Math.min(keys, ((snap.time - processing[0]!.time) / batchMs + 1) * ratePerBatch) : 0;
  const result = {
    bench: 'state',
    keys,
    updates_per_s: rate,
    executors,
    partitions,
    batch_ms: batchMs,
    seconds,
    batches: progress.batches,
    updates_counted: progress.updates,
    updates_expected: progress.batches * ratePerBatch,
    state_keys: snap?.keys ?? null,
    state_total: snap?.total ?? null,
    processing_ms_median: percentile(steady, 0.5),
    processing_ms_p95: percentile(steady, 0.95),
    processing_ms_max: Math.max(...steady),
    processing_over_batch_p95: Number((percentile(steady, 0.95) / batchMs).toFixed(3)),
    rss_mb_start: rssStart,
    rss_mb_end: rssEnd,
    checkpoint: values.checkpoint ?? null,
    rss_samples: rssSamples,
    load_start: loadFigures(loadStart),
    load_end: loadEnd,
  };
  printResult(result, values.json);
  if (progress.updates !== progress.batches * ratePerBatch) throw new Error(`counted ${progress.updates} updates, expected ${progress.batches * ratePerBatch}`);
  if (!snap) throw new Error('the final state snapshot did not come within 60 s');
  if (snap.keys !== expectedKeys) throw new Error(`state holds ${snap.keys} keys, expected ${expectedKeys}`);
  // Without a timeout no key is dropped: the counts add up to every update up to that batch.
  const batchesUpToSnapshot = (snap.time - processing[0]!.time) / batchMs + 1;
  if (!values.timeout && snap.total !== batchesUpToSnapshot * ratePerBatch) {
    throw new Error(`the state's counts add up to ${snap.total}, expected ${batchesUpToSnapshot * ratePerBatch}`);
  }
}
