/**
 * Image classification results joined with a static table: how many images of each
 * category (cat, dog, vehicle...) arrived in each batch.
 *
 * The input is what sluice-classify writes, one JSON result per line
 * (`--output jsonl:<file>` or Kafka; here over a TCP socket):
 * {"name":"img-1.jpg","ok":true,"top":[{"label":"tabby, tabby cat","score":0.91},...],...}
 *
 *   npx sluice submit apps/examples/src/classified-categories.ts localhost 9999
 *   npx sluice submit apps/examples/src/classified-categories.ts --demo
 *
 * The table (label -> category) is built with ssc.parallelize() from a literal, so the
 * driver and every executor hold the same copy and no row of it is ever shipped; each
 * batch's results are joined with it inside transform(). Labels the table does not know
 * count as "other" (leftOuterJoin), results without a label as "unreadable".
 */
import type { StreamingContext } from '@sluice/streaming';
import { LABEL_CATEGORIES } from './label-categories.js';
import { startDemoResultServer } from './demo-result-server.js';
import { socketSource } from './socket-source.js';

interface ResultLine {
  ok: boolean;
  top?: { label: string; score: number }[];
}

export default async function classifiedCategories(ssc: StreamingContext, args: string[]): Promise<void> {
  const { host, port } = await socketSource(ssc, args, { name: 'results', start: startDemoResultServer }, 'classified-categories.ts <hostname> <port>  (or --demo)');
  const categories = ssc.parallelize(LABEL_CATEGORIES, 2);
  ssc
    .socketTextStream(host, port)
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      const result = JSON.parse(line) as ResultLine;
      const label = result.ok ? result.top?.[0]?.label : undefined;
      return [label ?? '', 1] as [string, number];
    })
    .transform((results) =>
      results
        .leftOuterJoin(categories)
        .map(([label, [n, category]]) => [label === '' ? 'unreadable' : (category ?? 'other'), n] as [string, number]),
    )
    .reduceByKey((a, b) => a + b)
    .print(100);
}
