import {
  InputDStream,
  ParallelCollectionRDD,
  type DStream,
  type InputRDD,
  type StreamingContext,
} from '@sluice/streaming/internal';

/**
 * An input stream whose batch i (the i-th batch after the context starts, from 0) holds
 * `batches[i]`, and nothing after the last. The batch is found from its time, not taken
 * from a queue, so asking for a batch again (a window reading an earlier batch) gives the
 * same records.
 */
export class TestInputDStream<T> extends InputDStream<T> {
  readonly name = 'TestInputDStream';

  constructor(
    ssc: StreamingContext,
    private readonly batches: readonly (readonly T[])[],
    private readonly numSlices: number,
  ) {
    super(ssc.graph);
    if (!Number.isInteger(numSlices) || numSlices < 1) throw new Error(`numSlices must be a whole number >= 1, got ${numSlices}`);
  }

  protected computeOnDriver(time: number): InputRDD<T> {
    const index = Math.round((time - this.graph.zeroTime) / this.graph.batchDurationMs) - 1;
    return new ParallelCollectionRDD([...(this.batches[index] ?? [])], this.numSlices);
  }

  protected restore(_time: number, descriptor: unknown): InputRDD<T> {
    return new ParallelCollectionRDD<T>(null, (descriptor as { numSlices: number }).numSlices);
  }
}

/**
 * A stream fed with `batches`: batch i of the run reads `batches[i]`, cut into
 * `numSlices` partitions (default: the context's default parallelism). Build it inside the
 * job function, so that it is part of the graph on every side.
 */
export function testInputStream<T>(ssc: StreamingContext, batches: readonly (readonly T[])[], numSlices?: number): DStream<T> {
  return new TestInputDStream(ssc, batches, numSlices ?? ssc.conf.defaultParallelism);
}
