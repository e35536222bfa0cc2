import { relative } from 'node:path';
import { exitOnSignals, parseTuneArgs, runTune, TUNE_USAGE, usageMistake } from '@sluice/cli';
import { parseModelSpec } from '@sluice/vision/stream';
import type { TuneModelSettings } from '../job/tune-job.js';
import { jobModulePath } from '../job/job-module-path.js';

const TUNE_JOB = jobModulePath('tune-job');
const BACKENDS = ['auto', 'wasm', 'tensorflow', 'cpu'] as const;

export const CLASSIFY_TUNE_USAGE = `Usage: sluice-classify tune --images DIR [--model M] [--backend B] [--top-k K] [tune options]

Finds the highest image rate the classifier sustains per configuration (batch duration,
executors x cores, partitions, inference batch size) and recommends one: \`sluice tune\`
with the classifier as its job and DIR's images as its source (sent in a loop, at a
controlled rate). The model and backend are those of sluice-classify (defaults:
imagenet:efficientnet-lite0, auto). The tune options follow; the grid's batch-size key
is the inference batch size (default 1,8).

${TUNE_USAGE.slice(TUNE_USAGE.indexOf('Options'))}`;

/** `sluice-classify tune ...`: returns the exit status (0 done, 1 failure, 2 command-line mistake). */
export async function classifyTune(argv: string[]): Promise<number> {
  let cmd;
  try {
    const model: TuneModelSettings = {};
    const rest: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
      const value = () => {
        const v = inline ?? argv[++i];
        if (v === undefined) throw new Error(`${name} needs a value`);
        return v;
      };
      if (name === '-h' || name === '--help') {
        process.stdout.write(CLASSIFY_TUNE_USAGE);
        return 0;
      } else if (name === '--model') {
        model.model = value();
        parseModelSpec(model.model);
      } else if (name === '--backend') {
        const b = value();
        if (!(BACKENDS as readonly string[]).includes(b)) throw new Error(`--backend must be one of ${BACKENDS.join(', ')}, got "${b}"`);
        model.backend = b as TuneModelSettings['backend'];
      } else if (name === '--top-k') {
        model.topK = Number(value());
        if (!Number.isInteger(model.topK) || model.topK < 1) throw new Error('--top-k needs a positive integer');
      } else if (name === '--source') {
        throw new Error('sluice-classify tune sends images: use --images DIR instead of --source');
      } else if (!arg.startsWith('-')) {
        throw new Error(`unexpected argument "${arg}" (sluice-classify tune runs the classifier; use sluice tune for a job of your own)`);
      } else if (inline !== undefined || i + 1 >= argv.length) {
        rest.push(arg);
      } else {
        // Every option of sluice tune but --help takes a value.
        rest.push(arg, argv[++i]!);
      }
    }
    cmd = parseTuneArgs([...rest, '--source', 'images', TUNE_JOB, JSON.stringify(model)]);
  } catch (err) {
    return usageMistake('sluice-classify tune', (err as Error).message, 'sluice-classify tune --help');
  }
  exitOnSignals(cmd.output);
  try {
    const report = await runTune(cmd, (line) => process.stderr.write(line.replaceAll(TUNE_JOB, relative(process.cwd(), TUNE_JOB)) + '\n'));
    return report.recommendation ? 0 : 1;
  } catch (err) {
    process.stderr.write(`sluice-classify tune: ${(err as Error)?.message ?? err}\n`);
    return 1;
  }
}
