/**
 * The engine side of the window benchmark: every batch, `perBatch` pairs [key, 1] over
 * `keys` string keys, generated on the executors (see generated-pairs.ts), counted per key over a sliding window with reduceByKeyAndWindow, in the
 * inverse-function form or the plain one. Each window is summed up on the executors
 * (keys and total of the counts) and the driver (the bench process) reads `progress`.
 *
 *   args: <keys> <pairs per batch> <generator partitions> <window partitions>
 *         <window duration> <slide duration> <inverse|plain>
 */
import type { StreamingContext } from '@sluice/streaming';
import { generatedPairs, keysAndTotal } from './generated-pairs.js';

export const progress = {
  windows: [] as { time: number; keys: number; total: number }[],
};

export default function windowBenchJob(ssc: StreamingContext, args: string[]): void {
  const keys = Number(args[0]);
  const perBatch = Number(args[1]);
  const slices = Number(args[2]);
  const partitions = Number(args[3]);
  const window = args[4]!;
  const slide = args[5]!;
  const form = args[6];
  const pairs = generatedPairs(ssc, { keys, perBatch, slices, key: (n) => `k${n}` });
  const add = (a: number, b: number): number => a + b;
  const counts =
    form === 'plain'
      ? pairs.reduceByKeyAndWindow(add, window, slide, partitions)
      : pairs.reduceByKeyAndWindow(add, (a, b) => a - b, window, slide, partitions, ([, n]) => n > 0);
  counts.foreachRDD(async (rdd, time) => {
    progress.windows.push({ time, ...(await keysAndTotal(rdd)) });
  });
}
