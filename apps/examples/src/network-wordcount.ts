/**
 * Network word count, as Spark's NetworkWordCount: counts the words of the text lines a
 * TCP server sends, per batch.
 *
 *   nc -lk 9999                                   # in one terminal, then type lines
 *   npx sluice submit apps/examples/src/network-wordcount.ts localhost 9999
 *
 * With `--demo` instead of host and port it starts a built-in text server in the
 * driver, so it runs with nothing else installed (this is what `npm start` does).
 */
import type { StreamingContext } from '@sluice/streaming';
import { startDemoTextServer } from './demo-text-server.js';
import { socketSource } from './socket-source.js';

export default async function networkWordCount(ssc: StreamingContext, args: string[]): Promise<void> {
  const { host, port } = await socketSource(ssc, args, { name: 'text', start: startDemoTextServer }, 'network-wordcount.ts <hostname> <port>  (or --demo)');
  const lines = ssc.socketTextStream(host, port);
  const words = lines.flatMap((line) => line.split(' ')).filter((w) => w.length > 0);
  const wordCounts = words.map((word) => [word, 1] as [string, number]).reduceByKey((a, b) => a + b);
  wordCounts.print();
}
