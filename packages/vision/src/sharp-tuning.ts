import sharp from 'sharp';

export interface SharpTuning {
  /** libvips worker threads per image operation. Default 1. */
  threads?: number;
  /** Keep libvips' operation cache (default false). */
  cache?: boolean;
}

let applied = false;

/**
 * Process-wide libvips settings for an executor process that runs one task per core.
 *
 * - threads = 1: the scheduler already gives each core its own executor process, so
 *   extra libvips threads would only compete with the other executors (and with
 *   TensorFlow in this process) for the same cores. A single decode+resize of a
 *   photo to 224x224 is a few milliseconds, so there is little latency to win.
 * - cache off: the libvips operation cache (50 MB by default) only helps when the
 *   same input is processed repeatedly; a stream of distinct images would just keep
 *   up to 50 MB of stale pixels and file handles alive in every executor.
 *
 * sharp keeps these settings per process, so they affect any other sharp user in
 * the same process. Call this early to choose other values; otherwise the first
 * decode applies the defaults.
 */
export function tuneSharp(tuning: SharpTuning = {}): void {
  sharp.concurrency(tuning.threads ?? 1);
  sharp.cache(tuning.cache ?? false);
  applied = true;
}

export function ensureSharpTuned(): void {
  if (!applied) tuneSharp();
}
