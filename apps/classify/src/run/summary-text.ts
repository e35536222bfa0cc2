import { shortDuration } from './clock-time.js';
import { shortLabel } from './result-format.js';
import type { RunSummary } from './run-stats.js';

/** The summary for people, on stderr at the end of a run. */
export function formatSummary(s: RunSummary): string {
  const counts = (record: Record<string, number | undefined>) =>
    Object.entries(record)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const outcome =
    s.errors === null
      ? 'results written to Kafka by the executors (error results are among them, not counted here)'
      : `${s.classified} classified, ${s.errors} error${s.errors === 1 ? '' : 's'}${s.errors > 0 ? ` (${counts(s.error_kinds)})` : ''}`;
  const lines = [`sluice-classify: ${s.images} image${s.images === 1 ? '' : 's'} in ${shortDuration(s.wall_ms)}: ${outcome}`];
  if (s.images_per_s !== null) {
    lines.push(`  throughput  ${s.images_per_s} images/s (from the first batch with images to the last result, ${shortDuration(s.busy_ms ?? 0)})`);
  }
  if (s.startup_ms !== null) {
    lines.push(`  startup     ${shortDuration(s.startup_ms)} from launch to the first result`);
    const st = s.startup_steps_ms;
    const step = (label: string, at: number | null): [string, number][] => (at === null ? [] : [[label, at]]);
    // In the order they happened: the stream starts before the executors are ready when the
    // batch clock does not wait for them (waitForExecutors false, sluice-classify's default).
    const steps = [
      ...step("driver's modules loaded", st.driver_loaded),
      ...step('executors ready', st.executors_ready),
      ...step('stream started', st.stream_started),
      ...step('first batch with images started', st.first_batch_started),
    ].sort((a, b) => a[1] - b[1]);
    if (steps.length > 0) lines.push(`              after launch: ${steps.map(([label, at]) => `${label} ${shortDuration(at)}`).join(', ')}`);
  }
  if (s.backlog_images !== null && s.backlog_images > 0) {
    lines.push(
      s.backlog_drain_ms === null
        ? `  backlog     ${s.backlog_images} images waiting at the start, not all taken when the run stopped`
        : `  backlog     ${s.backlog_images} images waiting at the start, worked off ${shortDuration(s.backlog_drain_ms)} after the first result` +
            (s.backlog_drain_ms > 0 ? ` (${((s.backlog_images * 1000) / s.backlog_drain_ms).toFixed(1)} images/s)` : ''),
    );
  }
  if (s.source_rates.length > 0) lines.push(`  rate        ${rateCourse(s.source_rates)} images/s, batch by batch (backpressure)`);
  const l = s.latency_ms;
  if (l.p50 !== null) {
    lines.push(
      `  latency     p50 ${shortDuration(l.p50)}, p90 ${shortDuration(l.p90!)}, p99 ${shortDuration(l.p99!)}, max ${shortDuration(l.max!)}` +
        ` (${s.latency_basis})`,
    );
  }
  if (Object.keys(s.top_labels).length > 0) lines.push(`  top labels  ${labelCounts(s.top_labels)}`);
  // Last, so that the run's last line says whether any batch failed (the exit status does too).
  lines.push(`  batches     ${s.batches}, ${s.failed_batches === 0 ? 'none' : s.failed_batches} failed`);
  return lines.join('\n') + '\n';
}

/** Labels shown in the summary: a run over many different photos would list hundreds. */
const LABELS_SHOWN = 10;

/** The most frequent labels (top_labels is sorted that way), by their first synonym; --summary-json has them all. */
function labelCounts(topLabels: Record<string, number>): string {
  const entries = Object.entries(topLabels);
  const shown = entries
    .slice(0, LABELS_SHOWN)
    .map(([label, n]) => `${shortLabel(label)} ${n}`)
    .join(', ');
  const more = entries.length - LABELS_SHOWN;
  return more > 0 ? `${shown} (and ${more} more label${more === 1 ? '' : 's'})` : shown;
}

/** The first and last few rates backpressure set, enough to see it start and settle. */
function rateCourse(rates: number[]): string {
  const shown = (list: number[]) => list.map((r) => String(Math.round(r))).join(' ');
  const ENDS = 6;
  return rates.length <= 2 * ENDS ? shown(rates) : `${shown(rates.slice(0, ENDS))} ... ${shown(rates.slice(-ENDS))}`;
}
