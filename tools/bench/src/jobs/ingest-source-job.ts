/**
 * The ingest benchmark's job, for each source: the stream's records mapped to their
 * lengths and summed per batch on the executors. The driver (the benchmark process)
 * reads the totals.
 *
 *   args: socket <port> | raw <port> | device <path>
 */
import { Converters, deviceStream, type DStream, type StreamingContext } from '@sluice/streaming';

export const totals = { batches: 0, sum: 0, lastBatchDone: 0, onReceiverStart: () => {} };

function sourceStream(ssc: StreamingContext, source: string | undefined, address: string): DStream<Buffer> {
  switch (source) {
    case 'socket':
      return ssc.socketStream('127.0.0.1', Number(address), Converters.lengthPrefixed);
    case 'raw':
      return ssc.rawSocketStream('127.0.0.1', Number(address));
    case 'device':
      return deviceStream(ssc, address);
    default:
      throw new Error(`unknown ingest source ${source}: use socket, raw or device`);
  }
}

export default function ingestSourceJob(ssc: StreamingContext, args: string[]): void {
  const [source, address] = args;
  if (address === undefined) throw new Error('usage: ingest-source-job.ts socket|raw|device <port or path>');
  totals.batches = 0;
  totals.sum = 0;
  ssc.addStreamingListener({ onReceiverStarted: () => totals.onReceiverStart() });
  sourceStream(ssc, source, address)
    .map((m) => m.length)
    .reduce((a, b) => a + b)
    .foreachRDD(async (rdd) => {
      for (const s of await rdd.collect()) totals.sum += s;
      totals.batches++;
      totals.lastBatchDone = performance.now();
    });
}
