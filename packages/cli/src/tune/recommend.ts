import type { GridPoint } from './grid.js';
import type { PointResult } from './rate-search.js';
import type { TrialResult } from './trial.js';

export type Goal = { kind: 'throughput' } | { kind: 'latency'; rate: number };

export interface Recommendation {
  point: GridPoint;
  /** The rate the recommendation is for: the highest sustained, or the goal's rate. */
  rate: number;
  /** The measurement it rests on. */
  trial: TrialResult;
  why: string;
}

/**
 * The configuration for the goal: the highest sustained rate (ties: the lower latency),
 * or, among configurations that sustained the goal's rate, the lowest median end-to-end
 * latency measured at that rate (the search tries the goal's rate first, so it is measured
 * rather than extrapolated).
 */
export function recommend(results: PointResult[], goal: Goal): Recommendation | null {
  if (goal.kind === 'throughput') {
    const best = results
      .filter((r) => r.best)
      .sort((a, b) => b.maxRate - a.maxRate || a.best!.medianLatencyMs - b.best!.medianLatencyMs)[0];
    if (!best) return null;
    return { point: best.point, rate: best.maxRate, trial: best.best!, why: `highest sustained rate, ${best.maxRate}/s` };
  }
  const atRate = results
    .map((r) => ({ r, t: lowestSustainedAtLeast(r.trials, goal.rate) }))
    .filter((x): x is { r: PointResult; t: TrialResult } => x.t !== null)
    .sort((a, b) => a.t.medianLatencyMs - b.t.medianLatencyMs)[0];
  if (!atRate) return null;
  return {
    point: atRate.r.point,
    rate: goal.rate,
    trial: atRate.t,
    why: `lowest median latency (${Math.round(atRate.t.medianLatencyMs)} ms) sustaining ${goal.rate}/s`,
  };
}

function lowestSustainedAtLeast(trials: TrialResult[], rate: number): TrialResult | null {
  return trials.filter((t) => t.sustained && t.rate >= rate).sort((a, b) => a.rate - b.rate)[0] ?? null;
}
