import type { ImageErrorKind } from '@sluice/vision/stream';
import type { RunSummary } from './run-stats.js';

/** One image that could not be classified, as the UI's Classifier page lists it. */
export interface RecentImageError {
  time: number;
  name: string | null;
  kind: ImageErrorKind;
  message: string;
}

/** What sluice-classify reports to the web UI (LiveUi.reportMetric('classifier', ...)). */
export interface ClassifierUiValues {
  /** Results written (classified or not); with Kafka output, the only count known on the driver. */
  images: number;
  /** Null with Kafka output (the executors write the results): see RunSummary. */
  classified: number | null;
  errors: number | null;
  /** Over the last RECENT_WINDOW_MS. */
  imagesPerSecond: number;
  /** Over the whole run, as in the summary. */
  imagesPerSecondOverall: number | null;
  startupMs: number | null;
  latencyMs: RunSummary['latency_ms'];
  latencyBasis: string;
  /** How often each label came first. */
  labels: Record<string, number>;
  errorKinds: RunSummary['error_kinds'];
  /** Newest first. */
  recentErrors: RecentImageError[];
}

const RECENT_WINDOW_MS = 10_000;
const RECENT_ERRORS_KEPT = 20;

/**
 * The part of the UI's figures that the run summary does not keep: the rate over the
 * last few seconds and the last errors with their messages. Bounded, whatever the run's
 * length.
 */
export class RecentClassifierActivity {
  /** [time, images] per result write, oldest first, pruned to the window. */
  private readonly writes: [number, number][] = [];
  private readonly errors: RecentImageError[] = [];

  noteResults(at: number, images: number): void {
    if (images > 0) this.writes.push([at, images]);
    this.prune(at);
  }

  noteError(error: RecentImageError): void {
    this.errors.unshift(error);
    if (this.errors.length > RECENT_ERRORS_KEPT) this.errors.length = RECENT_ERRORS_KEPT;
  }

  values(summary: RunSummary, now: number): ClassifierUiValues {
    this.prune(now);
    const images = this.writes.reduce((s, [, n]) => s + n, 0);
    // A run younger than the window is measured over its busy time so far.
    const span = Math.min(RECENT_WINDOW_MS, summary.busy_ms ?? RECENT_WINDOW_MS);
    return {
      images: summary.images,
      classified: summary.classified,
      errors: summary.errors,
      imagesPerSecond: span > 0 ? Math.round((images / (span / 1000)) * 100) / 100 : 0,
      imagesPerSecondOverall: summary.images_per_s,
      startupMs: summary.startup_ms,
      latencyMs: summary.latency_ms,
      latencyBasis: summary.latency_basis,
      labels: summary.top_labels,
      errorKinds: summary.error_kinds,
      recentErrors: [...this.errors],
    };
  }

  private prune(now: number): void {
    while (this.writes.length > 0 && this.writes[0]![0] < now - RECENT_WINDOW_MS) this.writes.shift();
  }
}
