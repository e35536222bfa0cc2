/**
 * The word count of the executor-cores benchmark: every batch, the queue's next array of
 * text lines (filled by the bench, the driver, before the start) is split over
 * `partitions` tasks, split into words and counted with reduceByKey over `partitions`
 * reduce tasks. The driver keeps the number of distinct words per batch in `counted`.
 *
 *   args: <partitions>
 */
import type { StreamingContext } from '@sluice/streaming';

export const queue: string[][] = [];
export const counted: { time: number; words: number }[] = [];

export default function coresWordcountJob(ssc: StreamingContext, args: string[]): void {
  const partitions = Number(args[0] ?? 4);
  ssc
    .queueStream(queue, { numSlices: partitions })
    .flatMap((line) => line.split(' '))
    .map((word) => [word, 1] as [string, number])
    .reduceByKey((a, b) => a + b, partitions)
    .foreachRDD(async (rdd, time) => {
      counted.push({ time, words: await rdd.count() });
    });
}
