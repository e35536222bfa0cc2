import type { DStream, DStreamGraph } from '@sluice/streaming/internal';

/** What one collected stream produced: its records at each time it had an RDD. */
export type CollectedBatches<T> = { time: number; records: T[] }[];

/** The collected outputs of each graph (the driver's: other graphs never run the action). */
const sinks = new WeakMap<DStreamGraph, CollectedBatches<unknown>[]>();

/**
 * Registers an output operation that collects each of the stream's RDDs to the driver,
 * for runStreamingJob to return. Call it in the job function, once per stream to observe;
 * a job module run on executor processes calls it too (its graph must match the driver's).
 */
export function collectOutput<T>(stream: DStream<T>): void {
  let outputs = sinks.get(stream.graph);
  if (!outputs) sinks.set(stream.graph, (outputs = []));
  const batches: CollectedBatches<T> = [];
  outputs.push(batches);
  stream.foreachRDD(async (rdd, time) => {
    const records = await rdd.collect();
    batches.push({ time, records });
  });
}

/** The batches collected from `graph` by each collectOutput call, in call order. */
export function collectedOutputs(graph: DStreamGraph): CollectedBatches<unknown>[] {
  return sinks.get(graph) ?? [];
}
