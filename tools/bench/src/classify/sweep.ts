/**
 * The classify sweep behind docs/benchmarks/classify.md: executors {1, 2} x inference
 * batch sizes {1, 4, 8 (the default), 16}, each a separate run of the classify benchmark (its own
 * processes, bare and engine measured in the same run), then the plot.
 *
 *   node --import tsx tools/bench/src/classify/sweep.ts --images <dir> [--count 100] [--out docs/benchmarks]
 *       [--only 2x5,2x10]
 *
 * --only runs just those executors x batch-size points again and replaces them in the
 * existing classify-sweep.json (for a point disturbed by other work on the machine).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderSweepPlot, type PlotTitle, type SweepPoint } from './sweep-plot.js';

const BENCH = fileURLToPath(new URL('../classify-bench-cli.ts', import.meta.url));
const EXECUTORS = [1, 2];
const BATCH_SIZES = [1, 4, 8, 16];

const { values } = parseArgs({
  options: {
    images: { type: 'string' },
    count: { type: 'string', default: '100' },
    out: { type: 'string', default: 'docs/benchmarks' },
    only: { type: 'string' },
    backend: { type: 'string', default: 'auto' },
    model: { type: 'string' },
  },
});
if (!values.images) throw new Error('usage: sweep.ts --images <dir> [--count N] [--out dir] [--only 2x5,...]');

const jsonPath = join(values.out, 'classify-sweep.json');
const only = values.only?.split(',').map((p) => p.trim());
// Points of another grid (an earlier choice of batch sizes) are dropped.
const points: SweepPoint[] = (only && existsSync(jsonPath) ? (JSON.parse(await readFile(jsonPath, 'utf8')) as SweepPoint[]) : []).filter(
  (p) => EXECUTORS.includes(p.executors) && BATCH_SIZES.includes(p.batch_size),
);
for (const executors of EXECUTORS) {
  for (const batchSize of BATCH_SIZES) {
    if (only && !only.includes(`${executors}x${batchSize}`)) continue;
    const args = ['--images', values.images, '--executors', String(executors), '--batch-size', String(batchSize), '--count', values.count, '--backend', values.backend, '--json'];
    if (values.model) args.push('--model', values.model);
    process.stderr.write(`sweep: classify ${args.join(' ')}\n`);
    const point = await runBench(args);
    process.stderr.write(`sweep: ${JSON.stringify(point)}\n`);
    const at = points.findIndex((p) => p.executors === executors && p.batch_size === batchSize);
    if (at >= 0) points[at] = point;
    else points.push(point);
  }
}
points.sort((a, b) => a.executors - b.executors || a.batch_size - b.batch_size);
await writeFile(jsonPath, JSON.stringify(points, null, 2) + '\n');
await renderSweepPlot(points, join(values.out, 'classify-sweep.png'), sweepTitle(points));

/** What was measured, from the points themselves (the backend the runs actually used, the load they ran at). */
function sweepTitle(points: SweepPoint[]): PlotTitle {
  const models = [...new Set(points.map((p) => p.model ?? '?'))].join(', ');
  const backends = [...new Set(points.map((p) => p.backend_used ?? p.backend ?? '?'))].join(', ');
  const loads = points.flatMap((p) => p.load_avg_1m ?? []);
  const load = loads.length > 0 ? `, 1-min load average ${Math.min(...loads).toFixed(0)}-${Math.max(...loads).toFixed(0)} on 2 cores` : '';
  return {
    headline: 'sluice-classify: images/s and engine/bare against the inference batch size',
    detail: `${models} on ${backends}, 1 core per executor and per bare process${load}`,
  };
}

function runBench(args: string[]): Promise<SweepPoint> {
  const child = spawn(process.execPath, ['--import', 'tsx', BENCH, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let last = '';
  createInterface({ input: child.stdout }).on('line', (line) => (last = line));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(last) as SweepPoint) : reject(new Error(`classify bench ${args.join(' ')} failed (${code})`)))),
  );
}
