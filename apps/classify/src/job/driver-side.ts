import type { StreamingContext } from '@sluice/streaming';
import type { ClassifiedImage } from '@sluice/vision/stream';
import { toResultRecord } from './result-record.js';

/**
 * The job module's hooks into the process that runs the driver. The driver imports the
 * job module in the same process as the sluice-classify runner, so the runner installs
 * these before it submits the job; executors never call them.
 */
export interface DriverSide {
  /** The driver's context, before it starts: the place to add listeners. */
  contextCreated(ssc: StreamingContext): void;
  /**
   * Each batch's results, in the output operation (so a slow writer holds the stream
   * back). Returns whether every one was written: a source's offsets are committed only
   * then, so results dropped at a stop (--count) are read again by the next run.
   */
  results(batchTime: number, images: ClassifiedImage[]): boolean | Promise<boolean>;
  /**
   * With Kafka output the results never reach the driver; a source that knows its batch
   * sizes without reading them (Kafka offsets) reports them here instead.
   */
  batchCounted(batchTime: number, images: number): void;
}

/** Without the runner (`sluice submit classify-job.ts '<json>'`): JSON lines on stdout. */
const standalone: DriverSide = {
  contextCreated: () => {},
  batchCounted: () => {},
  results: (_batchTime, images) => {
    const now = Date.now();
    if (images.length > 0) process.stdout.write(images.map((i) => JSON.stringify(toResultRecord(i, now))).join('\n') + '\n');
    return true;
  },
};

let current: DriverSide = standalone;

export function setDriverSide(next: DriverSide | null): void {
  current = next ?? standalone;
}

export function driverSide(): DriverSide {
  return current;
}
