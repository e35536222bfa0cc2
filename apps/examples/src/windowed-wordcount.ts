/**
 * Windowed network word count, as Spark's WindowedNetworkWordCount: every slide, the
 * count of each word over the last window of lines a TCP server sent.
 *
 *   nc -lk 9999                                   # in one terminal, then type lines
 *   npx sluice submit apps/examples/src/windowed-wordcount.ts localhost 9999 30s 10s
 *   npx sluice submit apps/examples/src/windowed-wordcount.ts --demo
 *
 * Arguments: host and port (or --demo), then the window length and the slide (default
 * 30s and 10s; both multiples of --batch-duration). Each batch is reduced once, on its
 * own; every slide the window is the previous window's counts plus the batches that
 * entered it minus (the inverse function) those that left it, so a slide costs the same
 * however long the window is. Words whose count fell to 0 are dropped from the window.
 */
import type { StreamingContext } from '@sluice/streaming';
import { startDemoTextServer } from './demo-text-server.js';
import { socketSource } from './socket-source.js';

export default async function windowedWordCount(ssc: StreamingContext, args: string[]): Promise<void> {
  const { host, port, rest } = await socketSource(ssc, args, { name: 'text', start: startDemoTextServer }, 'windowed-wordcount.ts <hostname> <port> [window] [slide]  (or --demo [window] [slide])');
  const windowDuration = rest[0] ?? '30s';
  const slideDuration = rest[1] ?? '10s';
  ssc
    .socketTextStream(host, port)
    .flatMap((line) => line.split(' '))
    .filter((word) => word.length > 0)
    .map((word) => [word, 1] as [string, number])
    .reduceByKeyAndWindow(
      (a, b) => a + b,
      (a, b) => a - b,
      windowDuration,
      slideDuration,
      undefined,
      ([, count]) => count > 0,
    )
    .print(100);
}
