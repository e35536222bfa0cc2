/**
 * Launches of sluice-classify against a live socket source, with every step of the start-up
 * of every process on one clock (milliseconds since the launch): the driver's steps from
 * its summary (`startup_steps_ms`), the executors' and their task threads' from
 * SLUICE_STARTUP_TRACE=1 lines, the model loads and the first result.
 *
 *   node --import tsx tools/bench/src/classify/startup-trace.ts --images DIR
 *        [--runs 3] [--bin path/to/sluice-classify.mjs] [--executors 2] [--batch-size 8]
 *        [--timeline] [--json] [-- extra sluice-classify options]
 *
 * Prints, per run, its steps in time order (--timeline: every stderr line too), and the
 * median of each step over the runs. --bin runs another checkout's sluice-classify
 * (to compare before and after a change); the sender (`sluice-sender images --loop
 * --rate 10`) is this tree's.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startImageSender } from '@sluice/classify/testing';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    images: { type: 'string' },
    runs: { type: 'string', default: '1' },
    bin: { type: 'string', default: fileURLToPath(new URL('../../../../apps/classify/bin/sluice-classify.mjs', import.meta.url)) },
    executors: { type: 'string', default: '2' },
    'batch-size': { type: 'string', default: '8' },
    timeline: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
if (!values.images) throw new Error('--images DIR is required');

/** One launch: each step's time since the launch (ms); executor steps are the last executor's. */
type Steps = Record<string, number>;

const sender = await startImageSender(values.images, ['--loop', '--rate', '10']);
const runs: Steps[] = [];
try {
  // The sender has been sending for a while when a user starts the classifier.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (let run = 0; run < Number(values.runs); run++) {
    const load = loadavg()[0]!;
    const steps = await launchOnce(sender.port, run);
    runs.push(steps);
    if (!values.json) process.stdout.write(`run ${run + 1} (load ${load.toFixed(1)}): ${mainLine(steps)}\n`);
  }
} finally {
  await sender.stop();
}
const names = [...new Set(runs.flatMap((r) => Object.keys(r)))].sort((a, b) => median(runs, a) - median(runs, b));
const medians = Object.fromEntries(names.map((n) => [n, median(runs, n)]));
if (values.json) process.stdout.write(`${JSON.stringify({ runs, medians, load_1m: loadavg()[0] })}\n`);
else {
  process.stdout.write(`median of ${runs.length} run(s), ms after launch:\n`);
  for (const n of names) process.stdout.write(`  ${String(medians[n]).padStart(6)}  ${n}\n`);
}

async function launchOnce(port: number, run: number): Promise<Steps> {
  const summaryPath = join(tmpdir(), `startup-trace-${process.pid}-${run}.json`);
  const steps: Steps = {};
  const launchedAt = Date.now();
  const since = (epochMs: number) => epochMs - launchedAt;
  const note = (name: string, ms: number, latest = true) => {
    // Executors and threads report the same steps: keep the last one to finish (or the first).
    if (steps[name] === undefined || (latest ? ms > steps[name] : ms < steps[name])) steps[name] = ms;
  };
  const child = spawn(
    process.execPath,
    [
      values.bin,
      '--source', `socket://127.0.0.1:${port}`,
      '--executors', values.executors,
      '--batch-size', values['batch-size'],
      '--count', '1',
      '--output', 'jsonl:-',
      '--no-ui',
      '--summary-json', summaryPath,
      ...positionals,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SLUICE_STARTUP_TRACE: '1' } },
  );
  createInterface({ input: child.stderr }).on('line', (line) => {
    const at = Date.now() - launchedAt;
    const trace = /startup-trace (\d+) (.*)$/.exec(line);
    if (trace) note(trace[2]!, since(Number(trace[1])));
    else if (/vision: loaded /.test(line)) note('executor: model loaded (log line received)', at);
    if (values.timeline) process.stdout.write(`${(((trace ? since(Number(trace[1])) : at)) / 1000).toFixed(2).padStart(6)} ${line}\n`);
  });
  createInterface({ input: child.stdout }).once('line', () => note('first result', Date.now() - launchedAt));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`sluice-classify exited with ${code}`);
  const summary = JSON.parse(await readFile(summaryPath, 'utf8')) as { startup_steps_ms?: Record<string, number | null> };
  await rm(summaryPath, { force: true });
  for (const [name, ms] of Object.entries(summary.startup_steps_ms ?? {})) if (ms !== null) note(`driver: ${name.replace(/_/g, ' ')}`, ms);
  return steps;
}

function mainLine(steps: Steps): string {
  return Object.entries(steps)
    .sort((a, b) => a[1] - b[1])
    .map(([n, ms]) => `${n} ${ms}`)
    .join(', ');
}

function median(all: Steps[], name: string): number {
  const xs = all.map((r) => r[name]).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
  return xs.length === 0 ? NaN : xs[Math.floor(xs.length / 2)]!;
}
