/**
 * The engine side of the mapWithState benchmark: every batch, `rate` updates (of 1) to
 * keys spread over `keys` keys, kept as running counts with mapWithState. The updates are
 * generated on the executors from the batch time (a bijection walks the key space, so
 * every key is updated once every keys/rate batches and all keys are held after that).
 * The driver (the bench process) reads `progress` and sets `snapshotNow` at the end.
 *
 *   args: <keys> <rate per batch> <generator partitions> <state partitions> [timeout] [heap dir]
 *
 * With a heap dir, each executor thread (the main thread and every task thread, which
 * holds the state partitions it updates) writes its process.memoryUsage() there every
 * 5 s (heap-<pid>-<thread>.json): the bench adds up each executor's heaps from them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { StateSpec, type State, type StreamingContext } from '@sluice/streaming';

export const progress = {
  batches: 0,
  updates: 0,
  /** Set by the bench near the end: the next batch also sums up the whole state. */
  snapshotNow: false,
  snapshot: null as null | { keys: number; total: number; time: number },
};

export default function stateBenchJob(ssc: StreamingContext, args: string[]): void {
  const keys = Number(args[0]);
  const rate = Number(args[1]);
  const slices = Number(args[2]);
  const partitions = Number(args[3]);
  const timeout = args[4] || undefined;
  const heapDir = args[5];
  if (heapDir && ssc.mode !== 'driver') {
    const write = () => writeFileSync(join(heapDir, `heap-${process.pid}-${threadId}.json`), JSON.stringify(process.memoryUsage()));
    write();
    setInterval(write, 5000).unref();
  }
  const batchMs = ssc.conf.batchDurationMs;
  const perSlice = Math.ceil(rate / slices);
  const updates = ssc
    .queueStream<number>([], { defaultRecords: Array.from({ length: slices }, (_, i) => i), numSlices: slices })
    .transform((rdd, time) =>
      rdd.mapPartitions((sliceIds) => {
        const out: [number, number][] = [];
        for (const slice of sliceIds) {
          // Kept below 2^53: batch numbers times the rate would not be.
          const first = ((((time / batchMs) % keys) * rate) % keys) + slice * perSlice;
          const n = Math.min(perSlice, rate - slice * perSlice);
          // 7919 is coprime with the key count used here (a power of 10), so this is a
          // bijection of the key space: consecutive updates land on scattered keys.
          for (let i = 0; i < n; i++) out.push([(((first + i) % keys) * 7919) % keys, 1]);
        }
        return out;
      }),
    );
  let spec = StateSpec.function((_key: number, one: number | undefined, state: State<number>) => {
    const count = (state.getOption() ?? 0) + (one ?? 0);
    if (!state.isTimingOut()) state.update(count);
    return count;
  }).numPartitions(partitions);
  if (timeout) spec = spec.timeout(timeout);
  const counts = updates.mapWithState(spec);
  counts.foreachRDD(async (rdd) => {
    const n = await rdd.count();
    progress.batches++;
    progress.updates += n;
  });
  counts.stateSnapshots().foreachRDD(async (rdd, time) => {
    // Only the driver decides; an executor replays this only for the tasks it was sent.
    if (ssc.mode === 'driver' && !progress.snapshotNow) return;
    const parts = await rdd
      .mapPartitions((pairs) => {
        let total = 0;
        for (const p of pairs) total += p[1];
        return [[pairs.length, total] as [number, number]];
      })
      .collect();
    progress.snapshotNow = false;
    progress.snapshot = { keys: parts.reduce((a, p) => a + p[0], 0), total: parts.reduce((a, p) => a + p[1], 0), time };
  });
}
