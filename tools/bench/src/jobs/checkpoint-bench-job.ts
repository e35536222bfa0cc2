/**
 * The engine side of the checkpoint benchmark: a word count over a socket text stream.
 *
 *   args: network <port>    words per batch counted with reduceByKey (stateless)
 *         stateful <port>   a running count per word with mapWithState (state checkpointed
 *                           at its default interval)
 *
 * The driver (the bench process) reads `progress.words`: every word counted so far.
 */
import { StateSpec, type State, type StreamingContext } from '@sluice/streaming';

export const progress = { words: 0 };

export default function checkpointBenchJob(ssc: StreamingContext, args: string[]): void {
  const [mode, port] = args;
  const words = ssc.socketTextStream('127.0.0.1', Number(port)).flatMap((line) => line.split(' '));
  const batchCounts = words.map((w) => [w, 1] as [string, number]).reduceByKey((a, b) => a + b);
  if (mode === 'network') {
    batchCounts.foreachRDD(async (rdd) => {
      for (const [, n] of await rdd.collect()) progress.words += n;
    });
    return;
  }
  if (mode !== 'stateful') throw new Error(`usage: checkpoint-bench-job.ts network|stateful <port> (got ${args.join(' ')})`);
  // The running total is the state; each batch emits the words it counted.
  const counted = batchCounts.mapWithState(
    StateSpec.function((_word: string, n: number | undefined, state: State<number>) => {
      state.update((state.getOption() ?? 0) + (n ?? 0));
      return n ?? 0;
    }),
  );
  counted.foreachRDD(async (rdd) => {
    for (const n of await rdd.collect()) progress.words += n;
  });
}
