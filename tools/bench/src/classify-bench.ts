import { loadavg } from 'node:os';
import { tfjsNodeBindingBuilt } from '@sluice/vision';
import { DEFAULT_MODEL_SPEC } from '@sluice/vision/stream';
import { parseArgs } from 'node:util';
import { BareWorkers, type PhaseResult } from './classify/bare-loop.js';
import type { ClassifyBenchSettings } from './classify/bench-settings.js';
import { EngineRun, type EnginePhaseResult } from './classify/engine-run.js';
import { imageSequence, readImageDirectory } from './classify/image-set.js';
import { measureStartup } from './classify/startup-run.js';

const USAGE = `Usage: npm run bench -- classify --images <dir> [options]

Classifies --count images (the directory cycled) three ways in one run:
  bare     --executors processes, each running the classifier (decode + predict, the same
           code, model, backend and inference batch size) over its share, models warm
  engine   the sluice-classify job on --executors executor processes over a socket,
           executors warm; images sent at --rate after a first batch duration's worth at
           once (a stream already running); from the start of the first batch holding a
           measured image to the last result
  startup  launching sluice-classify until its first result, images arriving at 10/s

Bare and engine rounds alternate bare, engine, engine, bare (twice that with --rounds 4,
...), so that a change in the machine's load during the run weighs on both alike; each
rate is total images over total time of its rounds.

Options:
  --images DIR          directory of images (required)
  --executors N         executors, and bare processes (default: 2)
  --batch-size B        images per inference call (default: 8)
  --count N             images per round (default: 100)
  --rate R              images/s sent to the engine; 0 = as fast as it reads
                        (default: 1.25 x the bare rate, so the engine is always busy)
  --batch-duration D    (default: 1s)
  --block-interval D    (default: 200ms)
  --model SPEC          (default: ${DEFAULT_MODEL_SPEC})
  --backend B           auto | wasm | tensorflow | cpu (default: auto)
  --rounds N            rounds of each kind, an even number (default: 2)
  --no-startup          skip the startup measurement
  --json                one JSON line: engine_img_per_s, bare_img_per_s, ratio, startup_ms, ...
`;

export async function classifyBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      images: { type: 'string' },
      executors: { type: 'string', default: '2' },
      'batch-size': { type: 'string', default: '8' },
      count: { type: 'string', default: '100' },
      rate: { type: 'string' },
      'batch-duration': { type: 'string', default: '1s' },
      'block-interval': { type: 'string', default: '200ms' },
      model: { type: 'string', default: DEFAULT_MODEL_SPEC },
      backend: { type: 'string', default: 'auto' },
      rounds: { type: 'string', default: '2' },
      'no-startup': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!values.images) throw new Error('--images <dir> is required (see --help)');
  const settings: ClassifyBenchSettings = {
    executors: positiveInteger(values.executors, '--executors'),
    batchSize: positiveInteger(values['batch-size'], '--batch-size'),
    imagesDir: values.images,
    count: positiveInteger(values.count, '--count'),
    model: values.model,
    backend: values.backend as ClassifyBenchSettings['backend'],
    topK: 3,
    batchDuration: values['batch-duration'],
    blockInterval: values['block-interval'],
    rate: values.rate === undefined ? null : Number(values.rate),
  };
  if (settings.rate !== null && !(settings.rate >= 0)) throw new Error('--rate must be a number >= 0');
  const rounds = positiveInteger(values.rounds, '--rounds');
  if (rounds % 2 !== 0) throw new Error('--rounds must be even (rounds go bare, engine, engine, bare)');
  const library = await readImageDirectory(settings.imagesDir);
  const images = imageSequence(library, settings.count);

  // Other work on the machine shows in both rates; the load average says how much there was.
  const loadBefore = loadavg()[0]!;
  const bare = await BareWorkers.start(settings);
  const engine = await EngineRun.start(settings, imageSequence(library, settings.executors * settings.batchSize));
  const bareRounds: PhaseResult[] = [];
  const engineRounds: EnginePhaseResult[] = [];
  let rate = settings.rate;
  try {
    for (let pair = 0; pair < rounds / 2; pair++) {
      bareRounds.push(await bare.round());
      // Unless told, the engine is fed a quarter faster than the bare loop ran: always busy.
      rate ??= Math.ceil(1.25 * rateOf(bareRounds));
      engineRounds.push(await engine.round(images, rate));
      engineRounds.push(await engine.round(images, rate));
      bareRounds.push(await bare.round());
    }
  } finally {
    await engine.stop();
    await bare.stop();
  }
  const loadAfter = loadavg()[0]!;
  const bareRate = rateOf(bareRounds);
  const engineRate = rateOf(engineRounds);
  const startupMs = values['no-startup'] ? null : await measureStartup(settings);

  const result = {
    bench: 'classify',
    executors: settings.executors,
    batch_size: settings.batchSize,
    images: settings.count,
    model: settings.model,
    backend: settings.backend,
    backend_used: settings.backend === 'auto' ? (tfjsNodeBindingBuilt() ? 'tensorflow' : 'wasm') : settings.backend,
    engine_img_per_s: round(engineRate, 2),
    bare_img_per_s: round(bareRate, 2),
    ratio: round(engineRate / bareRate, 3),
    startup_ms: startupMs,
    engine_rounds_img_per_s: engineRounds.map((r) => round(r.images / r.seconds, 2)),
    bare_rounds_img_per_s: bareRounds.map((r) => round(r.images / r.seconds, 2)),
    engine_breakdown_per_round: engineRounds.map((r) => r.breakdown),
    engine_batches_per_round: round(engineRounds.reduce((s, r) => s + r.batches, 0) / engineRounds.length, 1),
    send_rate: rate,
    batch_duration: settings.batchDuration,
    block_interval: settings.blockInterval,
    errors: engineRounds[0]!.errors,
    load_avg_1m: [round(loadBefore, 2), round(loadAfter, 2)],
  };
  if (engineRounds[0]!.errors !== bareRounds[0]!.errors) {
    throw new Error(
      `the engine reported ${engineRounds[0]!.errors} undecodable images, the bare loop ${bareRounds[0]!.errors}: they saw different input`,
    );
  }
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(
      `classify ${settings.count} images, ${settings.executors} executor(s), inference batch ${settings.batchSize}: ` +
        `engine ${result.engine_img_per_s} img/s, bare ${result.bare_img_per_s} img/s, ratio ${result.ratio}` +
        (startupMs === null ? '' : `, startup ${startupMs} ms`) +
        '\n',
    );
  }
}

function rateOf(rounds: PhaseResult[]): number {
  return rounds.reduce((s, r) => s + r.images, 0) / rounds.reduce((s, r) => s + r.seconds, 0);
}

function positiveInteger(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${option} must be an integer >= 1, got "${text}"`);
  return n;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
