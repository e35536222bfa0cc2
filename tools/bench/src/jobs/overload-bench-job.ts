/**
 * The engine side of the overload benchmark: lines from a socket, counted on the executors
 * (DStream.count()), and then a fixed cost per record on the driver (a wait of
 * 1 / capacity seconds per record), so the job processes about `capacity` records per
 * second whatever else runs on the machine, and "2x what it can process" is well defined.
 * The driver (the bench process) reads `progress`.
 *
 *   args: <host> <port> <capacity records/s>
 */
import type { StreamingContext } from '@sluice/streaming';

export const progress = { batches: 0, counted: 0 };

export default function overloadJob(ssc: StreamingContext, args: string[]): void {
  const [host, port, capacityArg] = args;
  const capacity = Number(capacityArg);
  if (!host || !(Number(port) > 0) || !(capacity > 0)) throw new Error(`usage: overload-bench-job.ts <host> <port> <capacity> (got ${args.join(' ')})`);
  ssc
    .socketTextStream(host, Number(port))
    .count()
    .foreachRDD(async (rdd) => {
      const n = (await rdd.collect())[0] ?? 0;
      await new Promise((resolve) => setTimeout(resolve, (n / capacity) * 1000));
      progress.counted += n;
      progress.batches++;
    });
}
