/**
 * The input of the window and state benchmarks: every batch, `perBatch` pairs [key, 1]
 * over `keys` keys, generated on the executors from the batch time by `slices` tasks (no
 * source limits the rate, and no bytes cross a socket). Consecutive batches walk the key
 * space: multiplying by 7919, coprime with the key counts used (powers of 10), is a
 * bijection that scatters consecutive pairs over the keys, so every key comes once every
 * keys/perBatch batches.
 */
import type { DStream, RDD, StreamingContext } from '@sluice/streaming';

export function generatedPairs<K>(
  ssc: StreamingContext,
  options: { keys: number; perBatch: number; slices: number; key: (n: number) => K },
): DStream<[K, number]> {
  const { keys, perBatch, slices, key } = options;
  const batchMs = ssc.conf.batchDurationMs;
  const perSlice = Math.ceil(perBatch / slices);
  return ssc
    .queueStream<number>([], { defaultRecords: Array.from({ length: slices }, (_, i) => i), numSlices: slices })
    .transform((rdd, time) =>
      rdd.mapPartitions((sliceIds) => {
        const out: [K, number][] = [];
        for (const slice of sliceIds) {
          // Kept below 2^53: batch numbers times the rate would not be.
          const first = ((((time / batchMs) % keys) * perBatch) % keys) + slice * perSlice;
          const n = Math.min(perSlice, perBatch - slice * perSlice);
          for (let i = 0; i < n; i++) out.push([key((((first + i) % keys) * 7919) % keys), 1]);
        }
        return out;
      }),
    );
}

/** Per partition, the number of pairs and the sum of their values: a window's or a state's totals. */
export async function keysAndTotal<K>(rdd: RDD<[K, number]>): Promise<{ keys: number; total: number }> {
  const parts = await rdd
    .mapPartitions((pairs) => {
      let total = 0;
      for (const p of pairs) total += p[1];
      return [[pairs.length, total] as [number, number]];
    })
    .collect();
  return { keys: parts.reduce((a, p) => a + p[0], 0), total: parts.reduce((a, p) => a + p[1], 0) };
}
