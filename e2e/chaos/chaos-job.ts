/**
 * The chaos test's job: a stateful running count per key over records `key,seq`, written
 * to a file sink the checker reads. args: <source> ...
 *   socket <port> <out dir>     ReliableLineReceiver on 127.0.0.1:<port> (run with --wal)
 *
 * Every record is mapped (mapWithState) to `key,seq,count`: the key's count after it.
 * Each batch's records go to one file, out/batch-<time>.json, written durably (write,
 * fsync, rename): a batch rerun after a driver restart writes the same file again, so
 * the output is exactly-once per batch as long as a rerun computes the same records.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StateSpec, writeFileDurably, type State, type StreamingContext } from '@sluice/streaming';
import { ReliableLineReceiver } from './reliable-line-receiver';

export default function job(ssc: StreamingContext, args: string[]): void {
  const [source, port, outDir] = args;
  if (source !== 'socket' || !port || !outDir) throw new Error('usage: chaos-job.ts socket <port> <out dir>');
  if (ssc.mode === 'driver') mkdirSync(outDir, { recursive: true });
  const records = ssc.receiverStream(new ReliableLineReceiver('127.0.0.1', Number(port)));
  const counted = records
    .map((line) => {
      const [key, seq] = line.split(',');
      return [key!, Number(seq)] as [string, number];
    })
    .mapWithState(
      StateSpec.function((key: string, seq: number | undefined, state: State<number>) => {
        const count = (state.getOption() ?? 0) + 1;
        state.update(count);
        return `${key},${seq},${count}`;
      }).numPartitions(2),
    );
  counted.foreachRDD(async (rdd, time) => {
    const lines = await rdd.collect();
    await writeFileDurably(join(outDir, `batch-${time}.json`), JSON.stringify({ time, lines }));
  });
}
