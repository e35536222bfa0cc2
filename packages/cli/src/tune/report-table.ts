import { formatMs, type GridPoint } from './grid.js';
import type { PointResult } from './rate-search.js';
import type { TrialResult } from './trial.js';

/** One progress line per measurement. */
export function trialLine(label: string, t: TrialResult, unit: string): string {
  const mark = t.sustained ? 'sustained' : 'behind   ';
  return `  ${label}: ${String(t.rate).padStart(7)} ${unit}/s ${mark} ${t.reason} (${(t.elapsedMs / 1000).toFixed(1)} s)`;
}

/** The results so far as a table, one row per configuration measured. */
export function resultsTable(results: PointResult[], unit: string): string {
  const images = results.some((r) => r.point.batchSize !== undefined);
  const head = ['batch', 'exec x cores', 'partitions', ...(images ? ['batch size'] : []), `max ${unit}/s`, 'failed at', 'latency ms', 'proc ms', 'trials'];
  const rows = results.map((r) => [
    formatMs(r.point.batchMs),
    `${r.point.executors}x${r.point.cores}`,
    String(r.point.partitions),
    ...(images ? [String(r.point.batchSize)] : []),
    r.maxRate ? String(r.maxRate) : '-',
    r.failedRate === null ? '-' : String(r.failedRate),
    r.best ? String(Math.round(r.best.medianLatencyMs)) : '-',
    r.best ? String(Math.round(r.best.meanProcessingMs)) : '-',
    `${r.trials.length}${r.converged ? '' : '*'}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  const out = [line(head), ...rows.map(line)];
  if (results.some((r) => !r.converged)) out.push('* the budget ended before the bracket reached the precision');
  return out.join('\n');
}

export function unitOf(source: 'text' | 'images'): string {
  return source === 'text' ? 'lines' : 'images';
}

export function describePoint(p: GridPoint): string {
  return `${formatMs(p.batchMs)} batches, ${p.executors} executor(s) x ${p.cores} core(s), ${p.partitions} partitions` +
    (p.batchSize === undefined ? '' : `, inference batch ${p.batchSize}`);
}
