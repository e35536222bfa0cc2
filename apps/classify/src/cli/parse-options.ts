import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePort } from '@sluice/cli';
import { parseDuration, type StreamingConfInput } from '@sluice/streaming';
import { DEFAULT_MODEL_SPEC, parseModelSpec } from '@sluice/vision/stream';
import type { ClassifyJobSettings } from '../job/job-settings.js';
import { parseOutputSpec, type OutputSpec } from '../job/output-spec.js';
import { parseSourceSpec, type SourceSpec } from '../job/source-spec.js';
import { withFlowControl } from './flow-control.js';

export interface ClassifyCommand {
  help: boolean;
  /** Pictures the demo renders, or null when not a demo. */
  demoImages: number | null;
  /** Null only with --demo, which makes its own. */
  source: SourceSpec | null;
  output: OutputSpec;
  model: string;
  batchSize: number;
  topK: number;
  backend: ClassifyJobSettings['backend'];
  /** Null: as many as executor cores (the context's default parallelism). */
  partitions: number | null;
  conf: StreamingConfInput;
  count: number | null;
  runForMs: number | null;
  summaryJsonPath: string | null;
  /** The web UI (with its Classifier page), or null with --no-ui. */
  ui: { port: number; host: string } | null;
}

const BACKENDS = ['auto', 'wasm', 'tensorflow', 'cpu'] as const;
const DEFAULT_BATCH_SIZE = 8;
const DEFAULT_TOP_K = 3;
/** Two passes over the demo's photos: as shipped, then re-encoded as WebP. */
const DEFAULT_DEMO_IMAGES = 12;

/** Parses the command line; throws with a message that names the option at fault. */
export function parseClassifyArgs(argv: string[]): ClassifyCommand {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      source: { type: 'string' },
      'kafka-group': { type: 'string' },
      'starting-offsets': { type: 'string' },
      'max-rate-per-partition': { type: 'string' },
      'no-backpressure': { type: 'boolean' },
      output: { type: 'string' },
      'summary-json': { type: 'string' },
      model: { type: 'string' },
      'batch-size': { type: 'string' },
      'top-k': { type: 'string' },
      backend: { type: 'string' },
      executors: { type: 'string' },
      'executor-cores': { type: 'string' },
      'batch-duration': { type: 'string' },
      'block-interval': { type: 'string' },
      partitions: { type: 'string' },
      conf: { type: 'string', multiple: true },
      count: { type: 'string' },
      'run-for': { type: 'string' },
      'ui-port': { type: 'string' },
      'ui-host': { type: 'string' },
      'no-ui': { type: 'boolean' },
      demo: { type: 'boolean' },
      'demo-images': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}" (options start with --)`);
  const help = values.help === true;
  const demo = values.demo === true;
  if (values['demo-images'] !== undefined && !demo) throw new Error('--demo-images goes with --demo');
  if (demo && values.source !== undefined) throw new Error('--demo brings its own source: leave out --source');
  if (!demo && !help && values.source === undefined) throw new Error('--source is required (or --demo)');

  const startingOffsets = values['starting-offsets'] ?? 'latest';
  if (startingOffsets !== 'earliest' && startingOffsets !== 'latest') {
    throw new Error(`--starting-offsets must be earliest or latest, got "${startingOffsets}"`);
  }
  const maxRatePerPartition = values['max-rate-per-partition'] === undefined ? 0 : integer(values['max-rate-per-partition'], '--max-rate-per-partition', 1);
  const source =
    values.source === undefined
      ? null
      : parseSourceSpec(values.source, { groupId: values['kafka-group'] ?? 'sluice-classify', startingOffsets, maxRatePerPartition });
  if (values['max-rate-per-partition'] !== undefined && source?.kind !== 'kafka') {
    throw new Error('--max-rate-per-partition goes with a Kafka source (--source kafka://...)');
  }
  const backend = values.backend ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(backend)) throw new Error(`--backend must be one of ${BACKENDS.join(', ')}, got "${backend}"`);
  const model = values.model ?? DEFAULT_MODEL_SPEC;
  checkModel(model);

  const conf: StreamingConfInput = {};
  for (const kv of values.conf ?? []) {
    const eq = kv.indexOf('=');
    if (eq < 1) throw new Error(`--conf expects KEY=VALUE, got "${kv}"`);
    const raw = kv.slice(eq + 1);
    (conf as Record<string, unknown>)[kv.slice(0, eq)] = raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  if (values.executors !== undefined) conf.executors = integer(values.executors, '--executors', 0);
  if (values['no-ui'] === true && (values['ui-port'] !== undefined || values['ui-host'] !== undefined)) {
    throw new Error('--no-ui leaves no web UI for --ui-port or --ui-host to configure');
  }
  if (values['executor-cores'] !== undefined) conf.executorCores = integer(values['executor-cores'], '--executor-cores', 1);
  if (values['batch-duration'] !== undefined) conf.batchDuration = duration(values['batch-duration'], '--batch-duration');
  if (values['block-interval'] !== undefined) conf.blockInterval = duration(values['block-interval'], '--block-interval');
  const noBackpressure = values['no-backpressure'] === true;
  if (noBackpressure && conf.backpressureEnabled !== undefined) throw new Error('--no-backpressure and --conf backpressureEnabled=... say the same thing twice: keep one');
  const batchSize = integer(values['batch-size'] ?? String(DEFAULT_BATCH_SIZE), '--batch-size', 1);

  return {
    help,
    demoImages: demo ? integer(values['demo-images'] ?? String(DEFAULT_DEMO_IMAGES), '--demo-images', 1) : null,
    source,
    output: parseOutputSpec(values.output ?? 'stdout'),
    model,
    batchSize,
    topK: integer(values['top-k'] ?? String(DEFAULT_TOP_K), '--top-k', 1),
    backend: backend as ClassifyJobSettings['backend'],
    partitions: values.partitions === undefined ? null : integer(values.partitions, '--partitions', 0),
    conf: withFlowControl(conf, source, batchSize, !noBackpressure),
    count: values.count === undefined ? null : integer(values.count, '--count', 1),
    runForMs: values['run-for'] === undefined ? null : duration(values['run-for'], '--run-for'),
    summaryJsonPath: values['summary-json'] ?? null,
    ui: values['no-ui'] === true ? null : { port: values['ui-port'] === undefined ? 4040 : parsePort(values['ui-port'], '--ui-port'), host: values['ui-host'] ?? '127.0.0.1' },
  };
}

function integer(text: string, option: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`${option} must be an integer >= ${min}, got "${text}"`);
  return n;
}

function duration(text: string, option: string): number {
  const ms = parseDuration(text, option);
  if (ms <= 0) throw new Error(`${option} must be longer than 0, got "${text}"`);
  return ms;
}

/** A model directory is checked here, before any process starts, rather than in every task. */
function checkModel(spec: string): void {
  const source = parseModelSpec(spec);
  if (source.type !== 'directory') return;
  if (!existsSync(source.directory) || !statSync(source.directory).isDirectory()) {
    throw new Error(`--model ${spec}: no such directory (${source.directory})`);
  }
  if (!existsSync(join(source.directory, 'model.json'))) throw new Error(`--model ${spec}: ${source.directory} has no model.json`);
}
