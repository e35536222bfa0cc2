/**
 * The engine side of the mapWithState benchmark: every batch, `rate` updates (of 1) to
 * keys spread over `keys` keys, kept as running counts with mapWithState. The updates are
 * generated on the executors (see generated-pairs.ts: every key is updated once every
 * keys/rate batches, and all keys are held after that).
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
import { generatedPairs, keysAndTotal } from './generated-pairs.js';

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
  const updates = generatedPairs(ssc, { keys, perBatch: rate, slices, key: (n) => n });
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
    const totals = await keysAndTotal(rdd);
    progress.snapshotNow = false;
    progress.snapshot = { ...totals, time };
  });
}
