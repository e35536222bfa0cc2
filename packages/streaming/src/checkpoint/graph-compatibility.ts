import type { MetadataCheckpoint } from './metadata-checkpoint';

/**
 * Refuses to recover from a checkpoint written by a job whose DStream graph differs from
 * the one the job module builds now: stream ids, operators and their order are what the
 * checkpoint's batches, offsets and data checkpoints are keyed by, so another graph
 * would silently misread them. Says what differs and what the user can do.
 */
export function assertCompatibleGraph(
  cp: MetadataCheckpoint,
  now: { streams: string[]; batchDurationMs: number },
  file: string,
): void {
  const problems: string[] = [];
  if (cp.batchDurationMs !== now.batchDurationMs) {
    problems.push(`batch duration: ${cp.batchDurationMs} ms in the checkpoint, ${now.batchDurationMs} ms now`);
  }
  const before = cp.graph.streams;
  const n = Math.max(before.length, now.streams.length);
  const diffs: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = before[i];
    const b = now.streams[i];
    if (a === b) continue;
    if (a === undefined) diffs.push(`stream ${i} is new: ${b}`);
    else if (b === undefined) diffs.push(`stream ${i} (${a}) is gone`);
    else diffs.push(`stream ${i} was ${a}, is now ${b}`);
  }
  if (diffs.length > 0) {
    const shown = diffs.slice(0, 5);
    if (diffs.length > 5) shown.push(`... and ${diffs.length - 5} more`);
    problems.push(`the DStream graph differs (${before.length} streams then, ${now.streams.length} now):\n    ${shown.join('\n    ')}`);
  }
  if (problems.length === 0) return;
  throw new Error(
    `cannot recover from the checkpoint ${file}: it was written by a different job.\n  ${problems.join('\n  ')}\n` +
      'What to do: run the job with the code (and batch duration) that wrote the checkpoint until it has drained, ' +
      'or start fresh with a new (or emptied) checkpoint directory; a changed job keeps its checkpoint only if it ' +
      'builds the same streams in the same order (changing what a function does inside is allowed).',
  );
}
