/**
 * Start-up of sluice-classify to its first result, with a warm cache, step by step: each
 * run launches the classifier against a live socket source (`sluice-sender images --loop
 * --rate 10`, sending for 1.5 s already) and puts every step of every process on one
 * clock (ms since the launch): the driver's from its summary (`startup_steps_ms`), the
 * executors' and their task threads' from SLUICE_STARTUP_TRACE=1 lines, the first
 * result on stdout.
 *
 *   npm run bench -- classify-startup --images DIR [--runs 5] [--compare OTHER_BIN] [--compare-env K=V ...]
 *        [--executors 2] [--batch-size 8] [--timeline] [--json] [-- extra sluice-classify options]
 *
 * --compare runs another checkout's sluice-classify too, alternated A B B A ... (A is this
 * tree's), and prints the medians of both. --compare-env runs B with these environment
 * variables added (alone: this tree's sluice-classify with them, e.g.
 * NODE_OPTIONS=--enable-source-maps, which reaches its executors too). Executor steps are
 * the last executor's (the one the first batch waits for).
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startImageSender } from '@sluice/classify/testing';
import { envPairs } from './env-pairs.js';

/** One launch: each step's time since the launch (ms). */
type Steps = Record<string, number>;

const THIS_BIN = fileURLToPath(new URL('../../../apps/classify/bin/sluice-classify.mjs', import.meta.url));

export async function classifyStartupBench(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      images: { type: 'string' },
      runs: { type: 'string', default: '3' },
      bin: { type: 'string', default: THIS_BIN },
      compare: { type: 'string' },
      'compare-env': { type: 'string', multiple: true, default: [] },
      executors: { type: 'string', default: '2' },
      'batch-size': { type: 'string', default: '8' },
      timeline: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.images) throw new Error('--images DIR is required');
  const variants: Variant[] = [{ name: 'A', bin: values.bin, env: {} }];
  if (values.compare !== undefined || values['compare-env'].length > 0) {
    variants.push({ name: 'B', bin: values.compare ?? values.bin, env: envPairs(values['compare-env'], '--compare-env') });
  }
  const bins = variants.map((v) => v.name);
  const classifierArgs = ['--executors', values.executors, '--batch-size', values['batch-size'], ...positionals];
  const runs = new Map<string, { load: number; steps: Steps }[]>(bins.map((b) => [b, []]));
  const sender = await startImageSender(values.images, ['--loop', '--rate', '10']);
  try {
    // The sender has been sending for a while when a user starts the classifier.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const runsEach = Number(values.runs);
    for (let run = 0; run < runsEach * bins.length; run++) {
      // A B B A A B ...: other work on the machine weighs on both alike.
      const bin = bins.length === 1 ? bins[0]! : bins[[0, 1, 1, 0][run % 4]!]!;
      const load = loadavg()[0]!;
      const steps = await launchOnce(variants.find((v) => v.name === bin)!, sender.port, classifierArgs, values.timeline);
      runs.get(bin)!.push({ load, steps });
      if (!values.json) process.stdout.write(`${label(bin, bins)} run (load ${load.toFixed(1)}): ${inOrder(steps)}\n`);
    }
  } finally {
    await sender.stop();
  }
  const report = variants.map(({ name, bin, env }) => {
    const all = runs.get(name)!.map((r) => r.steps);
    const names = [...new Set(all.flatMap((r) => Object.keys(r)))].sort((a, b) => median(all, a) - median(all, b));
    return { bin, env, runs: runs.get(name)!, medians: Object.fromEntries(names.map((n) => [n, median(all, n)])) };
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ args: classifierArgs, report, load_1m_after: loadavg()[0] })}\n`);
    return;
  }
  for (const [i, { bin, env, runs: done, medians }] of report.entries()) {
    const withEnv = Object.entries(env).map(([k, v]) => ` ${k}=${v}`).join('');
    process.stdout.write(`${label(bins[i]!, bins)}: median of ${done.length} run(s), ms after launch (${bin}${withEnv})\n`);
    for (const [name, ms] of Object.entries(medians)) process.stdout.write(`  ${String(ms).padStart(6)}  ${name}\n`);
  }
}

interface Variant {
  /** A or B. */
  name: string;
  bin: string;
  /** Added to the environment. */
  env: Record<string, string>;
}

async function launchOnce({ bin, env }: Variant, port: number, classifierArgs: string[], timeline: boolean): Promise<Steps> {
  const summaryPath = join(tmpdir(), `sluice-classify-startup-bench-${process.pid}-${Date.now()}.json`);
  const steps: Steps = {};
  const note = (name: string, ms: number) => {
    // Executors and their threads report the same steps: keep the last one's.
    if (steps[name] === undefined || ms > steps[name]) steps[name] = ms;
  };
  const launchedAt = Date.now();
  const child = spawn(
    process.execPath,
    [bin, '--source', `socket://127.0.0.1:${port}`, '--count', '1', '--output', 'jsonl:-', '--no-ui', '--summary-json', summaryPath, ...classifierArgs],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, SLUICE_STARTUP_TRACE: '1' } },
  );
  createInterface({ input: child.stderr }).on('line', (line) => {
    const trace = /startup-trace (\d+) (.*)$/.exec(line);
    const at = trace ? Number(trace[1]) - launchedAt : Date.now() - launchedAt;
    if (trace) note(trace[2]!, at);
    else if (/vision: loaded /.test(line)) note('executor: model loaded (its log line received)', at);
    if (timeline) process.stdout.write(`${(at / 1000).toFixed(2).padStart(6)} ${line}\n`);
  });
  createInterface({ input: child.stdout }).once('line', () => note('first result on stdout', Date.now() - launchedAt));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`${bin} exited with ${code}`);
  const summary = JSON.parse(await readFile(summaryPath, 'utf8')) as { startup_steps_ms?: Record<string, number | null> };
  await rm(summaryPath, { force: true });
  for (const [name, ms] of Object.entries(summary.startup_steps_ms ?? {})) if (ms !== null) note(`driver: ${name.replace(/_/g, ' ')}`, ms);
  return steps;
}

function label(bin: string, bins: string[]): string {
  return bins.length === 1 ? 'this tree' : bin === bins[0] ? 'A (this tree)' : 'B (--compare)';
}

function inOrder(steps: Steps): string {
  return Object.entries(steps)
    .sort((a, b) => a[1] - b[1])
    .map(([n, ms]) => `${n} ${ms}`)
    .join(', ');
}

function median(all: Steps[], name: string): number {
  const xs = all.map((r) => r[name]).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
  return xs.length === 0 ? NaN : xs[Math.floor(xs.length / 2)]!;
}
