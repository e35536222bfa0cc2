/**
 * The chaos test's job: a stateful running count per key over records `key,seq`, written
 * to a file sink the checker reads. args: <source> ...
 *   socket <port> <out dir>     ReliableLineReceiver on 127.0.0.1:<port> (run with --wal)
 *   device <socket> <out dir>   the device receiver on a Unix socket, acknowledging what it
 *                               stored for good (run with --wal); each frame's payload is a record
 *
 * Every record is mapped (mapWithState) to `key,seq,count`: the key's count after it.
 * Each batch's records go to one file, out/batch-<time>.json, written durably (write,
 * fsync, rename): a batch rerun after a driver restart writes the same file again, so
 * the output is exactly-once per batch as long as a rerun computes the same records.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createDirectStream, writeToKafka } from '@sluice/kafka';
import { deviceStream, writeFileDurably, type StreamingContext } from '@sluice/streaming/internal';
import { ReliableLineReceiver } from './reliable-line-receiver.js';
import { runningCount } from './running-count.js';

export default function job(ssc: StreamingContext, args: string[]): void {
  const [source] = args;
  if (source === 'kafka') return kafkaJob(ssc, args);
  const [, where, outDir] = args;
  if ((source !== 'socket' && source !== 'device') || !where || !outDir) {
    throw new Error('usage: chaos-job.ts socket <port> <out dir> | device <socket path> <out dir> | kafka <brokers> <in> <out> <group> <max rate>');
  }
  if (ssc.mode === 'driver') mkdirSync(outDir, { recursive: true });
  const records =
    source === 'socket'
      ? ssc.receiverStream(new ReliableLineReceiver('127.0.0.1', Number(where)))
      : deviceStream(ssc, where, { mode: 'unix', acknowledge: true }).map((payload) => Buffer.from(payload).toString('utf8'));
  const counted = runningCount(records);
  counted.foreachRDD(async (rdd, time) => {
    const lines = await rdd.collect();
    await writeFileDurably(join(outDir, `batch-${time}.json`), JSON.stringify({ time, lines }));
  });
}

/**
 *   kafka <brokers> <in topic> <out topic> <group> <maxRatePerPartition>: the Kafka direct
 * stream, and the same records written to <out topic> by the exactly-once output (each
 * batch's records and offsets in one transaction).
 */
function kafkaJob(ssc: StreamingContext, args: string[]): void {
  const [, brokers, inTopic, outTopic, groupId, maxRate] = args;
  const stream = createDirectStream(ssc, {
    brokers: brokers!,
    subscribe: [inTopic!],
    groupId: groupId!,
    startingOffsets: 'earliest',
    maxRatePerPartition: Number(maxRate ?? 0),
  });
  const counted = runningCount(stream.map((r) => r.value!.toString()));
  writeToKafka(counted.map((line) => ({ value: line })), { brokers: brokers!, topic: outTopic!, value: (m) => m.value, exactlyOnce: { source: stream } });
}
