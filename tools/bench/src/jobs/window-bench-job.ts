/**
 * The engine side of the window benchmark: every batch, `perBatch` pairs [key, 1] over
 * `keys` string keys, generated on the executors from the batch time (no source limits
 * the rate), counted per key over a sliding window with reduceByKeyAndWindow, in the
 * inverse-function form or the plain one. Each window is summed up on the executors
 * (keys and total of the counts) and the driver (the bench process) reads `progress`.
 *
 *   args: <keys> <pairs per batch> <generator partitions> <window partitions>
 *         <window duration> <slide duration> <inverse|plain>
 */
import type { StreamingContext } from '@sluice/streaming';

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
  const batchMs = ssc.conf.batchDurationMs;
  const perSlice = Math.ceil(perBatch / slices);
  const pairs = ssc
    .queueStream<number>([], { defaultRecords: Array.from({ length: slices }, (_, i) => i), numSlices: slices })
    .transform((rdd, time) =>
      rdd.mapPartitions((sliceIds) => {
        const out: [string, number][] = [];
        for (const slice of sliceIds) {
          const first = ((((time / batchMs) % keys) * perBatch) % keys) + slice * perSlice;
          const n = Math.min(perSlice, perBatch - slice * perSlice);
          // 7919 is coprime with the key counts used here (powers of 10): a bijection that
          // scatters consecutive pairs over the key space.
          for (let i = 0; i < n; i++) out.push([`k${(((first + i) % keys) * 7919) % keys}`, 1]);
        }
        return out;
      }),
    );
  const add = (a: number, b: number): number => a + b;
  const counts =
    form === 'plain'
      ? pairs.reduceByKeyAndWindow(add, window, slide, partitions)
      : pairs.reduceByKeyAndWindow(add, (a, b) => a - b, window, slide, partitions, ([, n]) => n > 0);
  counts.foreachRDD(async (rdd, time) => {
    const parts = await rdd
      .mapPartitions((kv) => {
        let total = 0;
        for (const p of kv) total += p[1];
        return [[kv.length, total] as [number, number]];
      })
      .collect();
    progress.windows.push({ time, keys: parts.reduce((a, p) => a + p[0], 0), total: parts.reduce((a, p) => a + p[1], 0) });
  });
}
