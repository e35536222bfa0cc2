import { parseDuration } from '@sluice/streaming';

/** One configuration tune measures. */
export interface GridPoint {
  batchMs: number;
  executors: number;
  cores: number;
  /** Partitions of each batch: the block interval is batchMs / partitions, shuffles use as many. */
  partitions: number;
  /** Images per inference call (image source only). */
  batchSize?: number;
}

export interface Grid {
  batchMs: number[];
  /** [executors, cores] pairs. */
  executors: [number, number][];
  partitions: number[];
  batchSizes: number[];
}

/**
 * Small enough for the default budget (10 minutes) to narrow every configuration's rate
 * on a 2-core machine (search-estimate.ts; a test keeps them in step); `--grid` widens
 * or changes it, and then `--budget` should grow with it.
 */
export function defaultGrid(source: 'text' | 'images'): Grid {
  return source === 'text'
    ? { batchMs: [500, 1000], executors: [[1, 1], [2, 1]], partitions: [2], batchSizes: [] }
    : { batchMs: [1000], executors: [[2, 1]], partitions: [2], batchSizes: [1, 8] };
}

const KEYS = ['batch', 'executors', 'partitions', 'batch-size'] as const;

/**
 * Applies `--grid` specs to a grid: `batch=500ms,1s;executors=1x1,2x1;partitions=2,4;batch-size=1,8`
 * (keys may also come in separate `--grid` options). Keys not given keep their defaults.
 */
export function narrowGrid(grid: Grid, specs: string[]): Grid {
  const out: Grid = { ...grid };
  for (const spec of specs.flatMap((s) => s.split(';')).map((s) => s.trim()).filter(Boolean)) {
    const eq = spec.indexOf('=');
    const key = spec.slice(0, eq).trim();
    const values = spec.slice(eq + 1).split(',').map((v) => v.trim()).filter(Boolean);
    if (eq < 1 || values.length === 0) throw new Error(`--grid expects key=value[,value...], got "${spec}"`);
    switch (key) {
      case 'batch':
        out.batchMs = values.map((v) => parseDuration(v, '--grid batch'));
        break;
      case 'executors':
        out.executors = values.map(parseExecutors);
        break;
      case 'partitions':
        out.partitions = values.map((v) => positiveInt(v, 'partitions'));
        break;
      case 'batch-size':
        out.batchSizes = values.map((v) => positiveInt(v, 'batch-size'));
        break;
      default:
        throw new Error(`--grid: unknown key "${key}" (keys: ${KEYS.join(', ')})`);
    }
  }
  return out;
}

/** Every combination, batch duration outermost, so results fill the plot's lines in order. */
export function gridPoints(grid: Grid, source: 'text' | 'images'): GridPoint[] {
  const sizes: (number | undefined)[] = source === 'images' ? grid.batchSizes : [undefined];
  if (source === 'images' && sizes.length === 0) throw new Error('--grid batch-size needs at least one value for --source images');
  const points: GridPoint[] = [];
  for (const batchMs of grid.batchMs) {
    for (const [executors, cores] of grid.executors) {
      for (const partitions of grid.partitions) {
        for (const batchSize of sizes) {
          points.push(batchSize === undefined ? { batchMs, executors, cores, partitions } : { batchMs, executors, cores, partitions, batchSize });
        }
      }
    }
  }
  return points;
}

export function pointLabel(p: GridPoint): string {
  const size = p.batchSize === undefined ? '' : ` batch-size ${p.batchSize}`;
  return `batch ${formatMs(p.batchMs)} ${p.executors}x${p.cores} partitions ${p.partitions}${size}`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** The block interval that cuts a batch into `partitions` blocks per receiver. */
export function blockIntervalMs(p: GridPoint): number {
  return Math.max(1, Math.floor(p.batchMs / p.partitions));
}

function parseExecutors(v: string): [number, number] {
  const m = /^(\d+)(?:x(\d+))?$/.exec(v);
  if (!m) throw new Error(`--grid executors: "${v}" is not EXECUTORSxCORES (e.g. 2x1)`);
  const e = positiveInt(m[1]!, 'executors');
  const c = positiveInt(m[2] ?? '1', 'executor cores');
  return [e, c];
}

function positiveInt(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--grid ${what}: "${v}" is not a positive integer`);
  return n;
}
