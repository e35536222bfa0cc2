import type { ImageErrorKind } from '@sluice/vision/stream';
import { LatencyHistogram } from './latency-histogram.js';

/** The summary printed at the end, and written by --summary-json. */
export interface RunSummary {
  images: number;
  /** Null with Kafka output: the results stay on the executors, so only totals are known. */
  classified: number | null;
  errors: number | null;
  error_kinds: Partial<Record<ImageErrorKind, number>>;
  /** How often each label came first. */
  top_labels: Record<string, number>;
  /** images / (last result - start of the first batch that had images). */
  images_per_s: number | null;
  busy_ms: number | null;
  /** From the launch of the process to the first result written. */
  startup_ms: number | null;
  /**
   * Where start-up went, in ms from the launch: the driver's modules loaded (the run
   * begins), the executors ready (the last one to join before the first result), the
   * stream started, the first batch with images started, the first result written.
   * A step that did not happen (yet) is null.
   */
  startup_steps_ms: Record<StartupStep, number | null>;
  /** Images waiting in the source when the first batch was cut (Kafka: the lag), or null if the source does not say. */
  backlog_images: number | null;
  /**
   * From the first result to the end of the batch that took the last of that backlog
   * (null: no backlog, or not worked off when the run stopped).
   */
  backlog_drain_ms: number | null;
  /**
   * Backpressure's course: the rate (images/s, over the source's partitions) each batch
   * with images was cut under, in batch order; empty without backpressure.
   */
  source_rates: number[];
  /** What latency is measured from and to. */
  latency_basis: string;
  latency_ms: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
  batches: number;
  /** Batches with an output operation that failed (their images may have no result). */
  failed_batches: number;
  wall_ms: number;
}

export type StartupStep = 'driver_loaded' | 'executors_ready' | 'stream_started' | 'first_batch_started' | 'first_result';

/**
 * What the runner counts on the driver. With stdout and JSON-lines output every result
 * passes through here; with Kafka output only batch totals do (addBatchTotals), since
 * the executors produce the results.
 */
export class RunStats {
  private images = 0;
  private classified = 0;
  private errors: number | null = 0;
  private readonly errorKinds = new Map<ImageErrorKind, number>();
  private readonly topLabels = new Map<string, number>();
  private readonly latency = new LatencyHistogram();
  /** Processing start of the batches under way, to start the throughput clock. */
  private readonly batchStarts = new Map<number, number>();
  private firstBusyAt: number | null = null;
  private firstResultAt: number | null = null;
  private lastResultAt: number | null = null;
  private batches = 0;
  private failedBatches = 0;
  private backlog: number | null = null;
  private backlogDrainedAt: number | null = null;
  private readonly rates: number[] = [];
  private readonly steps = new Map<StartupStep, number>();

  constructor(
    private readonly launchedAt: number,
    /** Says what latency runs from and to, for the summary. */
    private readonly latencyBasis: string,
  ) {}

  get resultCount(): number {
    return this.images;
  }

  batchStarted(batchTime: number, processingStartTime: number): void {
    this.batchStarts.set(batchTime, processingStartTime);
  }

  batchCompleted(batchTime: number, failed = false): void {
    this.batches++;
    if (failed) this.failedBatches++;
    this.batchStarts.delete(batchTime);
  }

  /**
   * A completed batch of a source that knows what it left waiting (Kafka: `lag`, the
   * records beyond the batch's ranges when it was cut).
   */
  batchLag(records: number, lag: number, completedAt: number): void {
    if (this.backlog === null) {
      this.backlog = records + lag;
      if (this.backlog === 0) return;
    }
    if (this.backlog > 0 && this.backlogDrainedAt === null && lag === 0) this.backlogDrainedAt = completedAt;
  }

  /**
   * A step of start-up happened at `at` (ms since the epoch); the first time counts,
   * except for executors joining, where the last one before the first result does (the
   * stream may start before the executors are ready: waitForExecutors false).
   */
  startupStep(step: StartupStep, at: number): void {
    if (step === 'executors_ready' && this.firstResultAt === null) this.steps.set(step, at);
    else if (!this.steps.has(step)) this.steps.set(step, at);
  }

  /** A completed batch with images, cut under backpressure's `rate` (images/s). */
  batchRate(rate: number): void {
    this.rates.push(rate);
  }

  addClassified(batchTime: number, topLabel: string | undefined, latencyMs: number, at: number): void {
    this.classified++;
    if (topLabel !== undefined) this.topLabels.set(topLabel, (this.topLabels.get(topLabel) ?? 0) + 1);
    this.addResults(batchTime, 1, latencyMs, at);
  }

  addError(batchTime: number, kind: ImageErrorKind, latencyMs: number, at: number): void {
    this.errors = (this.errors ?? 0) + 1;
    this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
    this.addResults(batchTime, 1, latencyMs, at);
  }

  /** Kafka output: `count` images of a batch whose results left the executors by `at`. */
  addBatchTotals(batchTime: number, count: number, latencyMs: number, at: number): void {
    if (count === 0) return;
    this.errors = null;
    this.addResults(batchTime, count, latencyMs, at);
  }

  summary(now = Date.now()): RunSummary {
    const busy = this.firstBusyAt !== null && this.lastResultAt !== null ? this.lastResultAt - this.firstBusyAt : null;
    return {
      images: this.images,
      classified: this.errors === null ? null : this.classified,
      errors: this.errors,
      error_kinds: Object.fromEntries(this.errorKinds),
      top_labels: Object.fromEntries([...this.topLabels].sort((a, b) => b[1] - a[1])),
      images_per_s: busy !== null && busy > 0 ? round(this.images / (busy / 1000), 2) : null,
      busy_ms: busy,
      startup_ms: this.firstResultAt === null ? null : Math.round(this.firstResultAt - this.launchedAt),
      startup_steps_ms: Object.fromEntries(
        STARTUP_STEPS.map((step) => {
          const at = step === 'first_result' ? this.firstResultAt : this.steps.get(step);
          return [step, at === null || at === undefined ? null : Math.round(at - this.launchedAt)];
        }),
      ) as Record<StartupStep, number | null>,
      backlog_images: this.backlog,
      backlog_drain_ms:
        this.backlogDrainedAt !== null && this.firstResultAt !== null ? Math.max(0, Math.round(this.backlogDrainedAt - this.firstResultAt)) : null,
      source_rates: [...this.rates],
      latency_basis: this.latencyBasis,
      latency_ms: {
        p50: this.latency.percentile(50),
        p90: this.latency.percentile(90),
        p99: this.latency.percentile(99),
        max: this.latency.count > 0 ? this.latency.max : null,
      },
      batches: this.batches,
      failed_batches: this.failedBatches,
      wall_ms: Math.round(now - this.launchedAt),
    };
  }

  private addResults(batchTime: number, count: number, latencyMs: number, at: number): void {
    // The throughput clock starts when the first batch that produced results started.
    this.firstBusyAt ??= this.batchStarts.get(batchTime) ?? at;
    this.images += count;
    this.latency.add(latencyMs, count);
    this.firstResultAt ??= at;
    this.lastResultAt = at;
  }
}

const STARTUP_STEPS: StartupStep[] = ['driver_loaded', 'executors_ready', 'stream_started', 'first_batch_started', 'first_result'];

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
