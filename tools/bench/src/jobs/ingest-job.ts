/**
 * The ingest benchmark's job: socketStream(length-prefixed).map(m => m.length).reduce(+),
 * as the engine's throughput test. The driver (the benchmark process) reads the totals.
 */
import { Converters, type StreamingContext } from '@sluice/streaming';

export const totals = { batches: 0, sum: 0, lastBatchDone: 0, onReceiverStart: () => {} };

export default function ingestJob(ssc: StreamingContext, args: string[]): void {
  totals.batches = 0;
  totals.sum = 0;
  ssc.addStreamingListener({ onReceiverStarted: () => totals.onReceiverStart() });
  ssc
    .socketStream('127.0.0.1', Number(args[0]), Converters.lengthPrefixed)
    .map((m) => m.length)
    .reduce((a, b) => a + b)
    .foreachRDD(async (rdd) => {
      for (const s of await rdd.collect()) totals.sum += s;
      totals.batches++;
      totals.lastBatchDone = performance.now();
    });
}
