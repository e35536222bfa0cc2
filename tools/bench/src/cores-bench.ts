import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { submit } from '@sluice/cli';
import type { BatchInfo } from '@sluice/streaming';
import * as wordcount from './jobs/cores-wordcount-job.js';
import { coresClassify } from './classify/cores-classify.js';

const USAGE = `Usage: npm run bench -- cores [options]

Does one executor with 2 cores work as fast as two executors with 1 core each? Runs the
same work on both layouts, alternating 2x1, 1x2, 1x2, 2x1 (--rounds 4: twice that), and
prints the throughput of each and their ratio (1x2 over 2x1; 1.0 = cores count fully).

  --workload W          wordcount (default) or classify
  --rounds N            runs of each layout, even (default: 2)
  --json                one JSON line

wordcount: --batches B of --lines L text lines (10 words from a 5000-word vocabulary),
  queued before the start; 4 map and 4 reduce tasks per batch; throughput is words over
  the time from the first batch's start to the last batch's end.
  --batches B (default: 8)   --lines L (default: 60000)
classify: the sluice-classify job over a socket (see the classify benchmark), executors
  warm, --count images per run, inference batch --batch-size.
  --images DIR (required)   --count N (default: 60)   --batch-size B (default: 4)
  --backend B (default: auto)
`;

export interface LayoutResult {
  layout: '2x1' | '1x2';
  units: number;
  seconds: number;
}

export async function coresBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      workload: { type: 'string', default: 'wordcount' },
      rounds: { type: 'string', default: '2' },
      batches: { type: 'string', default: '8' },
      lines: { type: 'string', default: '60000' },
      images: { type: 'string' },
      count: { type: 'string', default: '60' },
      'batch-size': { type: 'string', default: '4' },
      backend: { type: 'string', default: 'auto' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 2 || rounds % 2 !== 0) throw new Error('--rounds must be an even integer >= 2');
  const order: ('2x1' | '1x2')[] = [];
  for (let i = 0; i < rounds / 2; i++) order.push('2x1', '1x2', '1x2', '2x1');
  const loadBefore = loadavg()[0]!;
  const results: LayoutResult[] = [];
  let unit = 'words';
  if (values.workload === 'wordcount') {
    const lines = makeLines(Number(values.lines), Number(values.batches));
    for (const layout of order) results.push(await wordcountRun(layout, lines));
  } else if (values.workload === 'classify') {
    if (!values.images) throw new Error('--images <dir> is required for --workload classify');
    unit = 'images';
    results.push(
      ...(await coresClassify(order, {
        imagesDir: values.images,
        count: Number(values.count),
        batchSize: Number(values['batch-size']),
        backend: values.backend as 'auto',
      })),
    );
  } else throw new Error(`--workload must be wordcount or classify, got ${values.workload}`);
  const loadAfter = loadavg()[0]!;
  const rate = (layout: string) => {
    const mine = results.filter((r) => r.layout === layout);
    return mine.reduce((s, r) => s + r.units, 0) / mine.reduce((s, r) => s + r.seconds, 0);
  };
  const twoByOne = rate('2x1');
  const oneByTwo = rate('1x2');
  const result = {
    bench: 'cores',
    workload: values.workload,
    unit,
    rate_2x1: round(twoByOne),
    rate_1x2: round(oneByTwo),
    ratio_1x2_over_2x1: round(oneByTwo / twoByOne, 3),
    runs: results.map((r) => ({ layout: r.layout, rate: round(r.units / r.seconds) })),
    load_avg_1m: [round(loadBefore), round(loadAfter)],
  };
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(
      `cores ${values.workload}: 2 executors x 1 core ${result.rate_2x1} ${unit}/s, 1 executor x 2 cores ${result.rate_1x2} ${unit}/s, ` +
        `ratio ${result.ratio_1x2_over_2x1} (load ${result.load_avg_1m.join(' -> ')})\n`,
    );
  }
}

/** `batches` arrays of `count` lines of 10 words drawn (deterministically) from 5000 words. */
function makeLines(count: number, batches: number): string[][] {
  const vocabulary = Array.from({ length: 5000 }, (_, i) => `w${(i * 7919) % 100_003}`);
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: batches }, () =>
    Array.from({ length: count }, () => Array.from({ length: 10 }, () => vocabulary[next() % vocabulary.length]!).join(' ')),
  );
}

async function wordcountRun(layout: '2x1' | '1x2', lines: string[][]): Promise<LayoutResult> {
  wordcount.queue.length = 0;
  wordcount.counted.length = 0;
  // A warm-up batch first (module loading, JIT), then the measured ones.
  wordcount.queue.push(lines[0]!.slice(0, 1000), ...lines);
  const batches: BatchInfo[] = [];
  const { ssc } = await submit({
    job: fileURLToPath(new URL('./jobs/cores-wordcount-job.ts', import.meta.url)),
    args: ['4'],
    conf: {
      appName: 'cores-bench',
      executors: layout === '2x1' ? 2 : 1,
      executorCores: layout === '2x1' ? 1 : 2,
      batchDuration: '250ms',
    },
    log: (line) => process.stderr.write(`sluice: ${line}\n`),
  });
  ssc.addStreamingListener({ onBatchCompleted: ({ batchInfo }) => void batches.push(batchInfo) });
  const deadline = Date.now() + 600_000;
  const withWords = () => wordcount.counted.filter((c) => c.words > 0).map((c) => c.time);
  while (withWords().length < lines.length + 1 || batches.length === 0 || batches.at(-1)!.batchTime < withWords().at(-1)!) {
    if (Date.now() > deadline) throw new Error('cores bench: timed out waiting for the batches');
    await new Promise((r) => setTimeout(r, 50));
  }
  await ssc.stop();
  const times = new Set(withWords().slice(1));
  const measured = batches.filter((b) => times.has(b.batchTime));
  const start = Math.min(...measured.map((b) => b.processingStartTime!));
  const end = Math.max(...measured.map((b) => b.processingEndTime!));
  const words = lines.reduce((s, batch) => s + batch.length * 10, 0);
  process.stderr.write(`cores bench: ${layout} wordcount ${words} words in ${((end - start) / 1000).toFixed(2)} s\n`);
  return { layout, units: words, seconds: (end - start) / 1000 };
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
