import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import '../rdd/rdd-operations.js';
import '../dstream/dstream-operators.js';
import { StreamingContext } from '../context/streaming-context.js';
import { resolveConf } from '../context/conf.js';
import { LocalBackend } from './local-backend.js';

test('maxQueuedBatches must be an integer >= 1; the default bounds the job queue at 1000 batches', () => {
  assert.equal(resolveConf({}).maxQueuedBatches, 1000);
  assert.equal(resolveConf({ maxQueuedBatches: 3 }).maxQueuedBatches, 3);
  for (const bad of [0, -1, 2.5]) assert.throws(() => resolveConf({ maxQueuedBatches: bad }), /maxQueuedBatches must be an integer >= 1/);
});

test('a full job queue holds the batch clock back, not the heap: no batch skipped, the sender paused, every line counted once', { timeout: 90_000 }, async () => {
  // A sender as fast as the socket allows, and a job 10x slower than its batches: without
  // a bound the queue would gain about 9 batches a second (and each its blocks).
  const line = Buffer.from('0123456789\n'.repeat(4096));
  let linesSent = 0;
  let sending = true;
  let first: Socket | null = null;
  const server = createServer((socket) => {
    socket.on('error', () => {});
    if (first) return; // a reconnect after the end gets nothing: no line twice
    first = socket;
    const pump = () => {
      while (sending) {
        linesSent += 4096; // queued even when write() asks to wait for 'drain'
        if (!socket.write(line)) return;
      }
    };
    socket.on('drain', pump);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const batchMs = 20;
  const bound = 3;
  const logged: string[] = [];
  let counted = 0;
  const job = (ssc: StreamingContext) =>
    ssc.socketTextStream('127.0.0.1', port).foreachRDD(async (rdd) => {
      counted += await rdd.count();
      await sleep(200);
    });
  const ssc = new StreamingContext(
    { master: 'local[1]', batchDuration: batchMs, blockInterval: batchMs, maxQueuedBatches: bound, receiverMaxBuffered: '2m' },
    { backend: new LocalBackend({ cores: 1, job }), log: (l) => logged.push(l) },
  );
  job(ssc);
  let submitted = 0;
  let completed = 0;
  let mostOutstanding = 0;
  const times: number[] = [];
  const tickDelays: number[] = [];
  ssc.addStreamingListener({
    onBatchSubmitted: () => {
      submitted++;
      mostOutstanding = Math.max(mostOutstanding, submitted - completed);
    },
    onBatchCompleted: ({ batchInfo }) => {
      completed++;
      times.push(batchInfo.batchTime);
      tickDelays.push(batchInfo.tickDelay ?? 0);
    },
  });
  await ssc.start();
  try {
    await sleep(3000);
    const sentWhileRunning = linesSent;
    sending = false;
    (first as Socket | null)?.end();
    // Every line sent is counted, however the batches were held back.
    const deadline = Date.now() + 30_000;
    while (counted < linesSent && Date.now() < deadline) await sleep(50);
    assert.equal(counted, linesSent, `counted ${counted} of ${linesSent} lines sent`);
    // The queue never held more than its bound (generated and not finished).
    assert.ok(mostOutstanding <= bound, `up to ${mostOutstanding} batches outstanding, bound ${bound}`);
    // The clock waited (about 9 of every 10 ticks), said so, and skipped no batch time.
    assert.ok(logged.some((l) => /job queue full: 3 batches not finished \(maxQueuedBatches\)/.test(l)), logged.join('\n'));
    const sorted = [...times].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) assert.equal(sorted[i]! - sorted[i - 1]!, batchMs, `batch times ${sorted.join(' ')}`);
    assert.ok(Math.max(...tickDelays) > 1000, `batches generated late: up to ${Math.max(...tickDelays)} ms`);
    // The sender was held back by TCP: in 3 s an unpaused local socket takes hundreds of MB.
    assert.ok(sentWhileRunning * 11 < 40 * 1024 * 1024, `sent ${sentWhileRunning * 11} bytes while the job was 10x slow`);
  } finally {
    await ssc.stop();
    server.close();
  }
});
