import type { BatchInfo, StreamingContext } from '@sluice/streaming';

/** A batch failed when any of its output operations did (the stream went on without it). */
export function batchFailed(info: BatchInfo): boolean {
  return Object.values(info.outputOperationInfos).some((op) => op.failureReason !== null);
}

/**
 * Counts completed and failed batches of a run, for its last line and its exit status:
 * a run whose batches failed did not do all it was asked, and a script running it
 * should know without reading the log.
 */
export class BatchOutcomes {
  completed = 0;
  failed = 0;

  /** Listens from now on; call it before the context starts so that the first batch counts. */
  watch(ssc: StreamingContext): void {
    ssc.addStreamingListener({
      onBatchCompleted: ({ batchInfo }) => {
        this.completed++;
        if (batchFailed(batchInfo)) this.failed++;
      },
    });
  }

  /** "12 batches, none failed" / "12 batches, 2 failed". */
  describe(): string {
    const batches = `${this.completed} batch${this.completed === 1 ? '' : 'es'}`;
    return `${batches}, ${this.failed === 0 ? 'none' : this.failed} failed`;
  }
}
