import type { BatchInfo } from '@sluice/streaming';
import { clockTime, shortDuration } from './clock-time.js';

/** A quiet stream still says it is alive, but not every batch. */
const QUIET_LINE_EVERY_MS = 10_000;

/**
 * One line per batch on stderr:
 *   batch 14:03:07.000  25 images (1 error)  13.9 images/s  scheduling delay 5 ms  processing 1800 ms
 * images/s is the batch's images over its processing time. Empty batches print a line
 * only every 10 s.
 */
export class BatchProgress {
  private readonly resultsByBatch = new Map<number, { results: number; errors: number }>();
  private lastQuietLineAt = 0;

  constructor(private readonly countsErrors: boolean) {}

  noteResults(batchTime: number, results: number, errors: number): void {
    const seen = this.resultsByBatch.get(batchTime) ?? { results: 0, errors: 0 };
    this.resultsByBatch.set(batchTime, { results: seen.results + results, errors: seen.errors + errors });
  }

  /** The line for a completed batch, or null to stay quiet. */
  lineFor(info: BatchInfo): string | null {
    const seen = this.resultsByBatch.get(info.batchTime) ?? { results: 0, errors: 0 };
    this.resultsByBatch.delete(info.batchTime);
    // Receivers report the records of a batch; other sources may not, but results count.
    const images = Math.max(info.numRecords, seen.results);
    const errors = seen.errors;
    const failure = Object.values(info.outputOperationInfos).find((op) => op.failureReason !== null);
    const head = `batch ${clockTime(info.batchTime)}`;
    if (failure) return `${head}  ${images} images  FAILED: ${failure.failure?.message ?? firstLine(failure.failureReason!)}`;
    if (images === 0) {
      if (info.batchTime - this.lastQuietLineAt < QUIET_LINE_EVERY_MS) return null;
      this.lastQuietLineAt = info.batchTime;
      return `${head}  no images (waiting for the source)`;
    }
    this.lastQuietLineAt = info.batchTime;
    const processing = info.processingDelay ?? 0;
    const rate = processing > 0 ? (images * 1000) / processing : 0;
    const errorText = this.countsErrors && errors > 0 ? ` (${errors} error${errors === 1 ? '' : 's'})` : '';
    return (
      `${head}  ${images} image${images === 1 ? '' : 's'}${errorText}  ${rate.toFixed(1)} images/s  ` +
      `scheduling delay ${shortDuration(info.schedulingDelay ?? 0)}  processing ${shortDuration(processing)}`
    );
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!;
}
