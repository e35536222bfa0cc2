/**
 * How long the commands take to start, for one checkout or two compared (A B B A):
 *
 *   npm run bench -- startup [--other DIR] [--runs 5] [--json]
 *
 * Per run: `sluice --help` from spawn to exit, and `sluice submit
 * apps/examples/src/network-wordcount.ts --demo` from spawn to its first batch on stdout
 * ("Time: ..." header) and to its first counted word. --other names a second checkout
 * (built, with its own node_modules) run alternately with this one: an older commit, or
 * this one with SLUICE_FROM_SOURCE=1 through `--other-env SLUICE_FROM_SOURCE=1`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { envPairs } from './env-pairs.js';
import { percentile } from './sample-stats.js';

interface Target {
  label: string;
  root: string;
  env: NodeJS.ProcessEnv;
}

interface Sample {
  helpMs: number;
  firstBatchMs: number;
  firstWordMs: number;
}

const THIS_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function timeHelp(t: Target): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [`${t.root}/packages/cli/bin/sluice.mjs`, '--help'], { stdio: 'ignore', env: t.env });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${t.label}: sluice --help exited with ${code}`)))),
  );
}

function timeFirstBatch(t: Target): Promise<{ firstBatchMs: number; firstWordMs: number }> {
  const started = performance.now();
  const job = `${t.root}/apps/examples/src/network-wordcount.ts`;
  const child = spawn(process.execPath, [`${t.root}/packages/cli/bin/sluice.mjs`, 'submit', '--run-for', '30s', job, '--demo'], {
    cwd: t.root,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: t.env,
  });
  let firstBatchMs = NaN;
  let firstWordMs = NaN;
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (Number.isNaN(firstBatchMs) && line.startsWith('Time: ')) firstBatchMs = performance.now() - started;
      if (Number.isNaN(firstWordMs) && /^\(.+,\d+\)$/.test(line)) {
        firstWordMs = performance.now() - started;
        child.kill('SIGINT');
      }
    }
  });
  return new Promise((resolve, reject) =>
    child.on('exit', () =>
      Number.isNaN(firstWordMs) ? reject(new Error(`${t.label}: no word counted within the run`)) : resolve({ firstBatchMs, firstWordMs }),
    ),
  );
}

async function sample(t: Target): Promise<Sample> {
  const helpMs = await timeHelp(t);
  return { helpMs, ...(await timeFirstBatch(t)) };
}

function summary(samples: Sample[]): Record<keyof Sample, { median: number; min: number; max: number }> {
  const of = (k: keyof Sample) => {
    const v = samples.map((s) => s[k]).sort((a, b) => a - b);
    return { median: Math.round(percentile(v, 0.5)), min: Math.round(v[0] ?? NaN), max: Math.round(v[v.length - 1] ?? NaN) };
  };
  return { helpMs: of('helpMs'), firstBatchMs: of('firstBatchMs'), firstWordMs: of('firstWordMs') };
}

export async function commandStartupBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      other: { type: 'string' },
      'other-env': { type: 'string', multiple: true, default: [] },
      runs: { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('npm run bench -- startup [--other DIR] [--other-env K=V ...] [--runs N] [--json]\n');
    return;
  }
  const targets: Target[] = [{ label: 'this', root: THIS_ROOT, env: { ...process.env } }];
  if (values.other !== undefined || values['other-env'].length > 0) {
    const env = { ...process.env, ...envPairs(values['other-env'], '--other-env') };
    targets.push({ label: 'other', root: values.other ?? THIS_ROOT, env });
  }
  const runs = Number(values.runs);
  // Warm-up: file system caches and tsx's transform cache, for both alike.
  for (const t of targets) await sample(t);
  const samples = new Map<string, Sample[]>(targets.map((t) => [t.label, []]));
  const order = targets.length === 2 ? [targets[0]!, targets[1]!, targets[1]!, targets[0]!] : [targets[0]!];
  for (let i = 0; i < runs; i++) {
    for (const t of order) {
      const s = await sample(t);
      samples.get(t.label)!.push(s);
      process.stderr.write(`${t.label}: --help ${Math.round(s.helpMs)} ms, first batch ${Math.round(s.firstBatchMs)} ms, first word ${Math.round(s.firstWordMs)} ms\n`);
    }
  }
  const result = Object.fromEntries(targets.map((t) => [t.label, { root: t.root, ...summary(samples.get(t.label)!) }]));
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else for (const [label, r] of Object.entries(result)) process.stdout.write(`${label} (${r.root}): --help ${r.helpMs.median} ms, first batch ${r.firstBatchMs.median} ms, first word ${r.firstWordMs.median} ms (medians)\n`);
}
