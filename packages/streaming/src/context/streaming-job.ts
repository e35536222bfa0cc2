import type { StreamingContext } from './streaming-context.js';

/** The signature of a job module's default export: builds the job's graph on `ssc`. */
export type StreamingJob = (ssc: StreamingContext, args: string[]) => void | Promise<void>;
