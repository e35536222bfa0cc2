import type { GridPoint } from './grid.js';

/**
 * Driver start, executors registering, the receiver connecting (and for images, the
 * executors loading the model): allowed per fresh start of the job.
 */
export const STARTUP_MS = { text: 15_000, images: 30_000 };

export interface EstimateOptions {
  /** Allowed per fresh start of the job (run-tune's STARTUP_MS). */
  startupMs: number;
  warmupBatches: number;
  windowBatches: number;
  precision: number;
  /** The verification run afterwards (0: none). */
  verifyMs: number;
}

/**
 * Doublings before a typical job falls behind: from the start rate (2000 lines/s, or the
 * rate the previous configuration sustained) to tens of thousands of lines per second on
 * a small machine. Measurements while the job keeps up continue the running job.
 */
const DOUBLINGS = 5;

/**
 * About how long the search of one configuration takes to narrow its rate to the
 * precision: the doublings (each a warm-up batch and a window, on the running job), then
 * one bisection step per halving of the bracket, each counted as a fresh start (a failed
 * rate restarts the job) with its warm-up and window.
 */
export function pointSearchMs(p: GridPoint, o: EstimateOptions): number {
  const bisections = Math.ceil(Math.log2(1 / o.precision));
  const running = DOUBLINGS * (1 + o.windowBatches) * p.batchMs;
  const fresh = bisections * (o.startupMs + (o.warmupBatches + o.windowBatches + 3) * p.batchMs);
  return running + fresh;
}

/** The whole grid, plus the verification of the recommended configuration (the longest batch). */
export function gridSearchMs(points: GridPoint[], o: EstimateOptions): number {
  const longest = Math.max(...points.map((p) => p.batchMs));
  const verify = o.verifyMs > 0 ? o.startupMs + (o.warmupBatches + 3) * longest + o.verifyMs : 0;
  return points.reduce((ms, p) => ms + pointSearchMs(p, o), 0) + verify;
}
