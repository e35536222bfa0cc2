/**
 * The network word count benchmark's job (Spark's NetworkWordCount): lines from a TCP
 * server, split into words, counted per batch with reduceByKey on the executors; the
 * driver (the benchmark process) adds each batch's counts to `totals`.
 *
 *   args: <port>
 */
import type { StreamingContext } from '@sluice/streaming';

export const totals = {
  words: new Map<string, number>(),
  counted: 0,
  lastBatchDone: 0,
  onReceiverStart: () => {},
};

export default function wordCountBenchJob(ssc: StreamingContext, args: string[]): void {
  const port = Number(args[0]);
  totals.words.clear();
  totals.counted = 0;
  ssc.addStreamingListener({ onReceiverStarted: () => totals.onReceiverStart() });
  ssc
    .socketTextStream('127.0.0.1', port)
    .flatMap((line) => line.split(' '))
    .map((word) => [word, 1] as [string, number])
    .reduceByKey((a, b) => a + b)
    .foreachRDD(async (rdd) => {
      const pairs = await rdd.collect();
      for (const [word, n] of pairs) {
        totals.words.set(word, (totals.words.get(word) ?? 0) + n);
        totals.counted += n;
      }
      totals.lastBatchDone = performance.now();
    });
}
