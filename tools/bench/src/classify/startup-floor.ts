/**
 * The floor under sluice-classify's start-up on this machine: what one fresh Node process
 * needs, with nothing of the engine around it, to get from launch to its first
 * classification. Each step runs in a new process (as an executor is one), timed from
 * the spawn to the step's end, so every step includes the ones above it:
 *
 *   node            `node -e ''`: the runtime alone
 *   tsx             + the TypeScript loader and the engine's modules (@sluice/streaming)
 *   backend         + TensorFlow.js with the chosen backend (tfjs-node or wasm) ready
 *   model           + the model read, built and warmed up (getClassifier)
 *   first result    + one image decoded and classified
 *
 *   node --import tsx tools/bench/src/classify/startup-floor.ts --images DIR
 *        [--model SPEC] [--backend auto|wasm|tensorflow] [--rounds 3] [--json]
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    images: { type: 'string' },
    model: { type: 'string', default: 'imagenet:efficientnet-lite0' },
    backend: { type: 'string', default: 'auto' },
    rounds: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    step: { type: 'string' },
  },
});

type Step = 'node' | 'tsx' | 'backend' | 'model' | 'first-result';
const STEPS: Step[] = ['node', 'tsx', 'backend', 'model', 'first-result'];

if (values.step) {
  // Inside the measured process: do the step, then say so.
  await runStep(values.step as Step);
  process.stdout.write('done\n');
  process.exit(0);
}

if (!values.images) throw new Error('--images DIR is required');
const image = join(values.images, readdirSync(values.images).find((f) => /\.(jpe?g|png|webp)$/i.test(f)) ?? '');
const self = new URL(import.meta.url).pathname;
const results: Record<Step, number[]> = { node: [], tsx: [], backend: [], model: [], 'first-result': [] };
const loadBefore = loadavg()[0]!;
for (let round = 0; round < Number(values.rounds); round++) {
  for (const step of STEPS) results[step].push(await timeProcess(step, image));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = Object.fromEntries(STEPS.map((s) => [s, { median_ms: median(results[s]), runs_ms: results[s] }]));
const out = { model: values.model, backend: values.backend, steps: summary, load_1m: [round1(loadBefore), round1(loadavg()[0]!)] };
if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
else for (const s of STEPS) process.stdout.write(`${s.padEnd(13)} ${String(summary[s]!.median_ms).padStart(6)} ms  (runs ${results[s].join(', ')})\n`);

function timeProcess(step: Step, imagePath: string): Promise<number> {
  const args = step === 'node' ? ['-e', ''] : ['--import', 'tsx', self, '--step', step, '--model', values.model, '--backend', values.backend, '--images', imagePath];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('exit', (code) => (code === 0 ? resolve(Math.round(performance.now() - started)) : reject(new Error(`step ${step} exited ${code}: ${stderr}`))));
  });
}

async function runStep(step: Step): Promise<void> {
  await import('@sluice/streaming');
  if (step === 'tsx') return;
  const vision = await import('@sluice/vision');
  const backend = values.backend as 'auto' | 'wasm' | 'tensorflow';
  if (step === 'backend') {
    await vision.selectBackend({ backend, threads: 1, log: () => {} });
    return;
  }
  const classifier = await vision.getClassifier({ model: values.model, backend, threads: 1, batchSize: 1, log: () => {} });
  if (step === 'model') return;
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile(values.images!);
  await classifier.classify([{ name: 'one', bytes }]);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
