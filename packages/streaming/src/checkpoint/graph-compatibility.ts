import { firstDifference, parseSignature, type SignatureEntry } from '../dstream/graph-signature.js';
import type { MetadataCheckpoint } from './metadata-checkpoint.js';

/**
 * Refuses to recover from a checkpoint written by a job whose DStream graph differs from
 * the one the job module builds now (docs/reliability.md#a-checkpoint-from-another-job).
 *
 * The comparison is the graph fingerprint (graph-signature.ts), DStream by DStream: the
 * operator, its parents, the source of every user function it holds (whitespace aside)
 * and its parameters. Stream ids and operators key the checkpoint's batches, offsets and
 * data checkpoints, and the state in it was built by those functions: a restart with
 * other functions would mix the results of two programs into one state. What may change
 * is everything the fingerprint does not hold: formatting, code outside the functions
 * given to operators, the parallelize() tables (data, read again at the restart), and
 * the run's configuration other than the batch duration.
 */
export function assertCompatibleGraph(
  cp: MetadataCheckpoint,
  now: { signature: string; streams: string[]; batchDurationMs: number },
  file: string,
): void {
  const problems: string[] = [];
  if (cp.batchDurationMs !== now.batchDurationMs) {
    problems.push(`batch duration: ${cp.batchDurationMs} ms in the checkpoint, ${now.batchDurationMs} ms now`);
  }
  const difference = graphDifference(cp, now);
  if (difference) problems.push(`the DStream graph differs (${cp.graph.streams.length} streams then, ${now.streams.length} now): ${difference}`);
  if (problems.length === 0) return;
  throw new Error(
    `cannot recover from the checkpoint ${file}: it was written by a different job.\n  ${problems.join('\n  ')}\n` +
      'What to do: run the job with the code (and batch duration) that wrote the checkpoint until it has drained, ' +
      'or start fresh with a new (or emptied) checkpoint directory. A changed job keeps its checkpoint only if it ' +
      'builds the same streams in the same order, with the same operator functions and parameters (formatting, ' +
      'code outside those functions and parallelize() tables may change).',
  );
}

function graphDifference(cp: MetadataCheckpoint, now: { signature: string; streams: string[] }): string | null {
  const before = parseSignature(cp.graph.signature);
  const after = parseSignature(now.signature);
  if (before && after) return firstDifference(streamsOnly(before), streamsOnly(after), ['checkpoint', 'job now']);
  // A fingerprint that cannot be read: compare the operators by name.
  const n = Math.max(cp.graph.streams.length, now.streams.length);
  for (let i = 0; i < n; i++) {
    const a = cp.graph.streams[i];
    const b = now.streams[i];
    if (a === b) continue;
    if (a === undefined) return `stream ${i} is new: ${b}`;
    if (b === undefined) return `stream ${i} (${a}) is gone`;
    return `stream ${i} was ${a}, is now ${b}`;
  }
  return null;
}

function streamsOnly(entries: readonly SignatureEntry[]): SignatureEntry[] {
  return entries.filter((e) => e.at.startsWith('DStream '));
}
