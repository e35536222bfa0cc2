/**
 * Stateful network word count, as Spark's StatefulNetworkWordCount: a running count of
 * every word since the start, kept with mapWithState. Each batch prints the words that
 * came in it with their totals so far; "hello" and "world" start at 1 (initial state).
 *
 *   nc -lk 9999                                   # in one terminal, then type lines
 *   npx sluice submit apps/examples/src/stateful-wordcount.ts localhost 9999
 *   npx sluice submit apps/examples/src/stateful-wordcount.ts --demo
 *
 * The counts live on the executors, partition by partition, and are checkpointed every
 * 10 s (to a temporary directory unless `--conf checkpointDir=DIR` says where).
 */
import { StateSpec, type State, type StreamingContext } from '@sluice/streaming';
import { startDemoTextServer } from './demo-text-server.js';
import { socketSource } from './socket-source.js';

export default async function statefulWordCount(ssc: StreamingContext, args: string[]): Promise<void> {
  const { host, port } = await socketSource(ssc, args, { name: 'text', start: startDemoTextServer }, 'stateful-wordcount.ts <hostname> <port>  (or --demo)');
  const words = ssc
    .socketTextStream(host, port)
    .flatMap((line) => line.split(' '))
    .filter((w) => w.length > 0);
  // This batch's count of each word, then added to the word's running total.
  const batchCounts = words.map((word) => [word, 1] as [string, number]).reduceByKey((a, b) => a + b);
  const addToTotal = (word: string, count: number | undefined, state: State<number>): [string, number] => {
    const total = (state.getOption() ?? 0) + (count ?? 0);
    state.update(total);
    return [word, total];
  };
  const totals = batchCounts.mapWithState(
    StateSpec.function(addToTotal).initialState([
      ['hello', 1],
      ['world', 1],
    ]),
  );
  totals.print();
}
