/**
 * waitForExecutors false: the receiver and the batch clock start while the executors
 * start (as in Spark), the first batches' tasks wait in the queue for them, and nothing
 * received meanwhile is lost. A job that cannot load on the executors still fails start().
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { StreamingContext } from '@sluice/streaming';
import * as wordcount from '../fixtures/socket-wordcount-job.js';
import { listen, start, waitFor } from './helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

test('the stream starts before the executors are ready; batches cut meanwhile run once they are, every word counted', async () => {
  wordcount.batches.length = 0;
  const { server, port } = await listen((socket) => {
    socket.write('a b a\n');
    setTimeout(() => socket.write('b c\n'), 400);
  });
  const events: { what: string; at: number }[] = [];
  const watch = (ssc: StreamingContext): void => {
    ssc.addStreamingListener({
      onStreamingStarted: () => events.push({ what: 'stream started', at: Date.now() }),
      onExecutorAdded: () => events.push({ what: 'executor ready', at: Date.now() }),
    });
  };
  const { ssc } = await start({
    job: fixture('socket-wordcount-job.ts'),
    args: ['127.0.0.1', String(port)],
    conf: { executors: 2, batchDuration: '300ms', waitForExecutors: false },
    beforeStart: watch,
    log: () => {},
  });
  const total = () => {
    const sum = new Map<string, number>();
    for (const b of wordcount.batches) for (const [w, n] of b.counts) sum.set(w, (sum.get(w) ?? 0) + n);
    return sum;
  };
  await waitFor(() => total().get('c') === 1, 30_000, 'every word counted');
  await ssc.stop();
  server.close();
  assert.deepEqual(Object.fromEntries(total()), { a: 2, b: 2, c: 1 });
  assert.equal(events[0]?.what, 'stream started', JSON.stringify(events));
  const firstExecutor = events.find((e) => e.what === 'executor ready')!;
  assert.ok(firstExecutor, JSON.stringify(events));
  // Batches were cut while the executors started, and ran once they were ready.
  assert.ok(wordcount.batches.some((b) => b.time < firstExecutor.at), `batch times ${wordcount.batches.map((b) => b.time).join(', ')}, first executor at ${firstExecutor.at}`);
});

test('a job that cannot load on the executors still fails start(), and nothing keeps running', async () => {
  let context: StreamingContext | null = null;
  await assert.rejects(
    start({
      job: fixture('broken-on-executors-job.ts'),
      conf: { executors: 1, batchDuration: '300ms', waitForExecutors: false },
      beforeStart: (ssc) => {
        context = ssc;
      },
      log: () => {},
    }),
    /could not load the job module .*settings file \/nonexistent\/settings\.json is missing/s,
  );
  assert.equal((context as StreamingContext | null)?.state, 'stopped');
});
