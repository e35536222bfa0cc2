import { parseDuration } from '@sluice/streaming';
import { defaultGrid, gridPoints, narrowGrid } from './grid.js';

export const TUNE_USAGE = `Usage: sluice tune <job file> [options] [job args...]

Finds the highest input rate a job sustains for each configuration of a grid (batch
duration, executors x cores, partitions, and for images the inference batch size), and
recommends one for a goal. For each configuration it sends records at a fixed rate,
doubling the rate until the job falls behind, then bisecting; a rate is sustained when,
over a window of batches after a warm-up, the scheduling delay does not grow, batches are
processed within the batch duration and hold the records sent.

The job reads a TCP socket whose host and port are its first two arguments (as
apps/examples/src/network-wordcount.ts does); tune starts the sender and runs the job
with \`sluice submit\` for each measurement. With --source images the third argument
is the inference batch size. Job args given here follow those.

Options (before the job file):
  --source S         text (default: lines of words) or images (image frames: 28-byte
                     name, 4-byte big-endian length, bytes; needs --images)
  --images DIR       the images to send, cycled (--source images)
  --budget D         time for the whole search, e.g. 90s, 10m (default: 10m); tune
                     finishes within it and reports what it covered
  --grid SPEC        narrows the grid: key=v1,v2 pairs separated by ';' (or repeat
                     --grid), keys batch, executors (EXECUTORSxCORES), partitions,
                     batch-size. Default: batch=500ms,1s;executors=1x1,2x1;
                     partitions=2 (images: batch=1s;executors=2x1;partitions=2;
                     batch-size=1,8), which the default budget covers; a wider grid
                     needs a longer --budget (tune says so). partitions sets the block
                     interval (batch / partitions) and the shuffle partitions
  --goal G           throughput (default: the highest sustained rate) or latency (the
                     lowest end-to-end latency at --rate)
  --rate R           records/s the latency goal must sustain
  --start-rate R     first rate tried (default: 2000 for text, 4 for images)
  --precision P      bisect until the bracket is within P (default: 0.1, i.e. 10%)
  --window N         batches judged per measurement, after the warm-up (default: 6)
  --warmup N         batches ignored first (default: 3)
  --verify D         run the recommended configuration at the rate it found for D
                     afterwards, within the budget (default: 20s; 0 skips it)
  --output FILE      write the results as JSON (default: tune-results.json)
  --plot FILE        write the plot as PNG (default: the output name with .png)
  --submit-option O  pass O to every \`sluice submit\` (repeatable; e.g.
                     --submit-option=--conf=receiverPlacement=executor)
  -h, --help         show this help

Example:
  sluice tune --budget 3m --grid 'batch=500ms,1s;executors=1x1,2x1' \\
    apps/examples/src/network-wordcount.ts
`;

export interface TuneCommand {
  job: string;
  jobArgs: string[];
  source: 'text' | 'images';
  imagesDir: string | null;
  budgetMs: number;
  grid: string[];
  goal: 'throughput' | 'latency';
  rate: number | null;
  startRate: number | null;
  precision: number;
  windowBatches: number;
  warmupBatches: number;
  verifyMs: number;
  output: string;
  plot: string | null;
  submitOptions: string[];
  help: boolean;
}

/** Options up to the job file are tune's; the rest belongs to the job (like sluice submit). */
export function parseTuneArgs(argv: string[]): TuneCommand {
  const cmd: TuneCommand = {
    job: '',
    jobArgs: [],
    source: 'text',
    imagesDir: null,
    budgetMs: 600_000,
    grid: [],
    goal: 'throughput',
    rate: null,
    startRate: null,
    precision: 0.1,
    windowBatches: 6,
    warmupBatches: 3,
    verifyMs: 20_000,
    output: 'tune-results.json',
    plot: null,
    submitOptions: [],
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) {
      cmd.job = arg;
      cmd.jobArgs = argv.slice(i + 1);
      break;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '-h':
      case '--help':
        cmd.help = true;
        break;
      case '--source': {
        const s = value();
        if (s !== 'text' && s !== 'images') throw new Error(`--source must be text or images, got "${s}"`);
        cmd.source = s;
        break;
      }
      case '--images':
        cmd.imagesDir = value();
        break;
      case '--budget':
        cmd.budgetMs = parseDuration(value(), '--budget');
        break;
      case '--grid':
        cmd.grid.push(value());
        break;
      case '--goal': {
        const g = value();
        if (g !== 'throughput' && g !== 'latency') throw new Error(`--goal must be throughput or latency, got "${g}"`);
        cmd.goal = g;
        break;
      }
      case '--rate':
        cmd.rate = positive(value(), name);
        break;
      case '--start-rate':
        cmd.startRate = positive(value(), name);
        break;
      case '--precision':
        cmd.precision = positive(value(), name);
        break;
      case '--window':
        cmd.windowBatches = atLeast(value(), name, 3);
        break;
      case '--warmup':
        cmd.warmupBatches = atLeast(value(), name, 0);
        break;
      case '--verify': {
        const v = value();
        cmd.verifyMs = v === '0' ? 0 : parseDuration(v, '--verify');
        break;
      }
      case '--output':
        cmd.output = value();
        break;
      case '--plot':
        cmd.plot = value();
        break;
      case '--submit-option':
        cmd.submitOptions.push(value());
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  if (cmd.help) return cmd;
  if (!cmd.job) throw new Error('no job file given');
  if (cmd.source === 'images' && !cmd.imagesDir) throw new Error('--source images needs --images DIR');
  if (cmd.source === 'text' && cmd.imagesDir) throw new Error('--images goes with --source images');
  if (cmd.goal === 'latency' && cmd.rate === null) throw new Error('--goal latency needs --rate R (records/s to sustain)');
  if (cmd.budgetMs < 10_000) throw new Error('--budget must be at least 10s');
  // A mistake in --grid is a command-line mistake: found here, before anything starts.
  gridPoints(narrowGrid(defaultGrid(cmd.source), cmd.grid), cmd.source);
  return cmd;
}

function positive(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} needs a positive number, got "${raw}"`);
  return n;
}

function atLeast(raw: string, name: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} needs an integer >= ${min}, got "${raw}"`);
  return n;
}
