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
import { demoPort } from './demo-port.js';

export default async function networkWordCount(ssc: StreamingContext, args: string[]): Promise<void> {
  let host: string;
  let port: number;
  if (args[0] === '--demo') {
    host = '127.0.0.1';
    // The driver serves; executors (a receiver placed there) connect to the same server.
    port = await demoPort(ssc, 'text', startDemoTextServer);
  } else {
    if (args.length < 2) throw new Error('usage: network-wordcount.ts <hostname> <port>  (or --demo)');
    host = args[0]!;
    port = Number(args[1]);
  }
  const lines = ssc.socketTextStream(host, port);
  const words = lines.flatMap((line) => line.split(' ')).filter((w) => w.length > 0);
  const wordCounts = words.map((word) => [word, 1] as [string, number]).reduceByKey((a, b) => a + b);
  wordCounts.print();
}
