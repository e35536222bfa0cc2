import type { DStream } from '@sluice/streaming';
import { collectOutput } from './collect-output.js';
import { runStreamingJob, type StreamingTestOptions } from './run-streaming-job.js';
import { testInputStream } from './test-input-stream.js';

export type OperationTestOptions = Partial<StreamingTestOptions> & {
  /** Partitions of each input batch (default: the default parallelism). */
  numSlices?: number;
};

/**
 * spark-testing-base's testOperation: runs `operation` over a stream whose batches are
 * `input` (one array per batch) and returns the records of each RDD the resulting stream
 * produced, in time order (one per batch, or one per slide for a window). Runs
 * `numBatches` batches (default: as many as there are inputs).
 */
export async function testOperation<T, U>(
  input: readonly (readonly T[])[],
  operation: (stream: DStream<T>) => DStream<U>,
  options: OperationTestOptions = {},
): Promise<U[][]> {
  const run = await runStreamingJob(
    { job: (ssc) => collectOutput(operation(testInputStream(ssc, input, options.numSlices))) },
    { ...options, numBatches: options.numBatches ?? input.length },
  );
  return run.outputs[0]!.map((b) => b.records as U[]);
}

/** testOperation with two input streams (joins, union, transformWith...). */
export async function testOperation2<A, B, U>(
  input1: readonly (readonly A[])[],
  input2: readonly (readonly B[])[],
  operation: (a: DStream<A>, b: DStream<B>) => DStream<U>,
  options: OperationTestOptions = {},
): Promise<U[][]> {
  const run = await runStreamingJob(
    {
      job: (ssc) => {
        const a = testInputStream(ssc, input1, options.numSlices);
        const b = testInputStream(ssc, input2, options.numSlices);
        collectOutput(operation(a, b));
      },
    },
    { ...options, numBatches: options.numBatches ?? Math.max(input1.length, input2.length) },
  );
  return run.outputs[0]!.map((b) => b.records as U[]);
}
