import type { GridPoint } from './grid.js';
import type { TrialResult } from './trial.js';

export interface SearchOptions {
  /** The first rate tried (records/s). */
  startRate: number;
  /** Stop bisecting once the highest sustained and the lowest failing rate are this close (ratio - 1). */
  precision: number;
  /** Below this rate a point is given up as unable to keep up at all. */
  minRate: number;
  /** No trial starts unless it can finish by then (epoch ms). */
  deadline: number;
  /** How long the next trial takes at most (with a start-up when the job is not running). */
  trialMs: () => number;
  runTrial: (rate: number) => Promise<TrialResult>;
  onTrial?: (trial: TrialResult) => void;
}

export interface PointResult {
  point: GridPoint;
  /** The highest rate sustained (records/s); 0 if none was. */
  maxRate: number;
  /** The lowest rate that was not sustained; null if every rate tried was. */
  failedRate: number | null;
  /** The trial at maxRate (its latency and delays). */
  best: TrialResult | null;
  trials: TrialResult[];
  /** True when the bracket reached the precision; false when the budget ran out first. */
  converged: boolean;
}

/**
 * The maximum sustained rate of one configuration, as the stream benchmarks find it:
 * raise the rate (doubling) until the job falls behind, then bisect between the highest
 * rate sustained and the lowest not sustained.
 */
export async function searchMaxRate(point: GridPoint, o: SearchOptions): Promise<PointResult> {
  const result: PointResult = { point, maxRate: 0, failedRate: null, best: null, trials: [], converged: false };
  let rate = niceRate(o.startRate);
  while (Date.now() + o.trialMs() <= o.deadline) {
    const trial = await o.runTrial(rate);
    result.trials.push(trial);
    o.onTrial?.(trial);
    if (trial.sustained && rate > result.maxRate) {
      result.maxRate = rate;
      result.best = trial;
    } else if (!trial.sustained && (result.failedRate === null || rate < result.failedRate)) {
      result.failedRate = rate;
    }
    const next = nextRate(result, o);
    if (next === null) {
      result.converged = true;
      break;
    }
    rate = next;
  }
  return result;
}

/** The next rate to try, or null when the search is over. */
export function nextRate(r: Pick<PointResult, 'maxRate' | 'failedRate'>, o: Pick<SearchOptions, 'precision' | 'minRate'>): number | null {
  const lo = r.maxRate;
  const hi = r.failedRate;
  if (hi === null) return niceRate(lo * 2);
  if (lo === 0) {
    const down = niceRate(hi / 2);
    return down < o.minRate || down >= hi ? null : down;
  }
  if (hi / lo <= 1 + o.precision) return null;
  const mid = niceRate((lo + hi) / 2);
  return mid <= lo || mid >= hi ? null : mid;
}

/** Rounds to two significant digits (1234 -> 1200, 3.46 -> 3.5), so rates read well in tables. */
export function niceRate(x: number): number {
  if (x <= 0) return 0;
  const unit = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Number((Math.round(x / unit) * unit).toPrecision(2));
}
