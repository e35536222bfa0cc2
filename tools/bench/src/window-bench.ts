import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseDuration } from '@sluice/streaming';
import { loadFigures, pairsOptions, printResult, sleep, startPairsBench } from './generated-pairs-bench.js';
import { percentile } from './sample-stats.js';
import { progress } from './jobs/window-bench-job.js';

const USAGE = `Usage: npm run bench -- window [--form inverse|plain] [--window D] [--slide D]
                             [--batch-duration D] [--keys N] [--rate N] [--measure S]
                             [--executors N] [--partitions N] [--json]

reduceByKeyAndWindow counting --rate pairs a second (default 100000) over --keys string
keys (default 10000) in a --window (default 30s) sliding every --slide (default: the
batch duration, default 1s), with an inverse function (--form inverse, the default) or
recomputed from the window's batches (--form plain). The pairs are generated on the
executors. Runs until the window is full, then --measure seconds more (default 30; a form
that falls behind stops at 1.5 times that run's length, measured on the full windows it
processed), and
prints the processing time per batch of the full windows (median, p95, max), the RSS of
the driver and executors, and checks every window's count total (every pair counted once).
Compare a short and a long window of the same stream: with the inverse function their
processing times should be about the same; the plain form grows with the window.
`;

export async function windowBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...pairsOptions({ keys: '10000' }),
      form: { type: 'string', default: 'inverse' },
      window: { type: 'string', default: '30s' },
      slide: { type: 'string' },
      measure: { type: 'string', default: '30' },
    },
  });
  if (values.help) return void process.stdout.write(USAGE);
  const form = values.form;
  if (form !== 'inverse' && form !== 'plain') throw new Error(`--form must be inverse or plain, not ${form}`);
  const keys = Number(values.keys);
  const rate = Number(values.rate);
  const measureS = Number(values.measure);
  const executors = Number(values.executors);
  const partitions = Number(values.partitions ?? executors);
  const batchMs = parseDuration(values['batch-duration'], '--batch-duration');
  const windowMs = parseDuration(values.window, '--window');
  const slideMs = values.slide === undefined ? batchMs : parseDuration(values.slide, '--slide');
  if (!(keys > 0 && rate > 0 && measureS > 0 && executors > 0 && partitions > 0)) throw new Error('--keys, --rate, --measure, --executors, --partitions must be positive');
  const perBatch = Math.round((rate * batchMs) / 1000);
  const { ssc, processing, sampleRss, loadStart } = await startPairsBench({
    job: fileURLToPath(new URL('./jobs/window-bench-job.ts', import.meta.url)),
    args: [String(keys), String(perBatch), String(executors), String(partitions), `${windowMs}ms`, `${slideMs}ms`, form],
    executors,
    batchDuration: `${batchMs}ms`,
    appName: `window-bench-${form}`,
  });
  // Batches generated until the window is full, then --measure seconds of full windows.
  const fillBatches = windowMs / batchMs;
  const measureBatches = Math.ceil((measureS * 1000) / batchMs);
  const started = Date.now();
  let rssFull: Record<string, number> | null = null;
  while (processing.length < fillBatches + measureBatches) {
    await sleep(1000);
    if (!rssFull && processing.length >= fillBatches) rssFull = sampleRss();
    const s = Math.round((Date.now() - started) / 1000);
    if (s % 30 === 0) process.stderr.write(`window bench: ${s} s, ${processing.length} batches processed\n`);
    // A form that cannot keep up (the plain one over a long window) is measured on the
    // full windows it processed by then; the figures say how far behind it fell.
    if (Date.now() - started > (windowMs / 1000 + measureS) * 1500 + 30_000 && processing.some((p) => p.time - processing[0]!.time >= windowMs)) break;
    if (Date.now() - started > (windowMs / 1000 + measureS) * 4000 + 60_000) throw new Error(`only ${processing.length} batches processed in ${s} s: no full window`);
  }
  const generated = Math.floor((Date.now() - started) / batchMs);
  const rssEnd = sampleRss();
  await ssc.stop();
  const loadEnd = loadFigures();
  const first = processing[0]!.time;
  const full = processing.filter((p) => p.time - first >= windowMs).map((p) => p.ms);
  // Every window counts each pair of its batches once: its total is its batches' pairs.
  const bad = progress.windows.filter((w) => w.total !== Math.min(windowMs / batchMs, (w.time - first) / batchMs + 1) * perBatch);
  const result = {
    bench: 'window',
    form,
    window_ms: windowMs,
    slide_ms: slideMs,
    batch_ms: batchMs,
    keys,
    pairs_per_batch: perBatch,
    executors,
    partitions,
    windows: progress.windows.length,
    windows_wrong: bad.length,
    full_windows_measured: full.length,
    batches_processed: processing.length,
    batches_generated_about: generated,
    keys_in_last_window: progress.windows.at(-1)?.keys ?? null,
    processing_ms_median: percentile(full, 0.5),
    processing_ms_p95: percentile(full, 0.95),
    processing_ms_max: Math.max(...full),
    rss_mb_full: rssFull,
    rss_mb_end: rssEnd,
    load_start: loadFigures(loadStart),
    load_end: loadEnd,
  };
  printResult(result, values.json);
  if (bad.length > 0) throw new Error(`${bad.length} windows counted wrong, first: ${JSON.stringify(bad[0])}`);
}
