import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { encodeLengthPrefixed, encodeRawBlock } from '@sluice/protocol';
import type { ReceiverInfo } from '@sluice/streaming';
import * as jobs from '../fixtures/receiver-jobs.js';
import { listen, start, sleep, waitFor } from './helpers.js';

const job = fileURLToPath(new URL('../fixtures/receiver-jobs.ts', import.meta.url));
const quiet = () => {};

function allRecords(): unknown[] {
  return jobs.batches.flatMap((b) => b.records);
}

test('a custom receiver written against the public API delivers every record exactly once', async () => {
  jobs.batches.length = 0;
  const total = 3000;
  const started: ReceiverInfo[] = [];
  const { ssc } = await start({ job, args: ['sequence', String(total)], conf: { executors: 2, batchDuration: '300ms', blockInterval: '50ms' }, log: quiet });
  ssc.addStreamingListener({ onReceiverStarted: (e) => started.push(e.receiverInfo) });
  await waitFor(() => allRecords().length >= total, 20_000, 'all records');
  await ssc.stop({ graceful: true });
  const got = (allRecords() as number[]).slice().sort((a, b) => a - b);
  assert.equal(got.length, total, 'no duplicates');
  assert.deepEqual(got, Array.from({ length: total }, (_, i) => i));
  assert.ok(jobs.batches.filter((b) => b.count > 0).length >= 3, 'records spread over several batches');
});

test('a receiver whose source dies restarts after the restart delay and resumes', async () => {
  jobs.batches.length = 0;
  let connections = 0;
  const { server, port } = await listen((socket) => {
    connections++;
    const first = connections === 1;
    const lines = Array.from({ length: 50 }, (_, i) => `${first ? 'before' : 'after'}-${i}`);
    socket.end(lines.join('\n') + '\n');
  });
  const errors: ReceiverInfo[] = [];
  const { ssc } = await start({
    job,
    args: ['lines', '127.0.0.1', String(port)],
    conf: { executors: 2, batchDuration: '300ms', receiverRestartDelay: 300 },
    log: quiet,
  });
  ssc.addStreamingListener({ onReceiverError: (e) => errors.push(e.receiverInfo) });
  await waitFor(() => allRecords().filter((r) => String(r).startsWith('after-')).length >= 50, 15_000, 'the second connection');
  server.close();
  await ssc.stop();
  const records = allRecords() as string[];
  for (let i = 0; i < 50; i++) {
    assert.ok(records.includes(`before-${i}`), `before-${i} received`);
    assert.ok(records.includes(`after-${i}`), `after-${i} received`);
  }
  assert.ok(errors.some((e) => /closed the connection/.test(e.lastErrorMessage)), 'the end of the stream is reported');
});

test('a socket stream that ends with its connection stops its receiver instead of reading the source again', async () => {
  jobs.batches.length = 0;
  let connections = 0;
  const { server, port } = await listen((socket) => {
    connections++;
    socket.end(Array.from({ length: 50 }, (_, i) => `line-${i}`).join('\n') + '\n');
  });
  const lines: string[] = [];
  const stopped: ReceiverInfo[] = [];
  const { ssc } = await start({
    job,
    args: ['lines-until-closed', '127.0.0.1', String(port)],
    // A long batch: the stream ends, and the context stops, before the first batch is due.
    conf: { executors: 2, batchDuration: '5s', receiverRestartDelay: 100 },
    log: (line) => lines.push(line),
  });
  const started: { batchTime: number; startedAt: number; numRecords: number }[] = [];
  ssc.addStreamingListener({
    onReceiverStopped: (e) => stopped.push(e.receiverInfo),
    onBatchStarted: (e) => started.push({ batchTime: e.batchInfo.batchTime, startedAt: Date.now(), numRecords: e.batchInfo.numRecords }),
  });
  try {
    await waitFor(() => stopped.length > 0, 15_000, 'the receiver to stop at the end of the stream');
    // A graceful stop processes what came, even before the first batch was due: in that
    // batch, at its own time (it waits for the boundary, as Spark does, rather than run a
    // batch labelled with a time still to come).
    const stopAt = Date.now();
    await ssc.stop({ graceful: true });
    const last = started.find((b) => b.numRecords > 0);
    assert.ok(last, `a batch took the records: ${JSON.stringify(started)}`);
    assert.ok(last.batchTime > stopAt, 'the first batch was not due when the stop began');
    assert.ok(last.startedAt >= last.batchTime, `batch ${last.batchTime} started at ${last.startedAt}, before its time`);
    // A wait of seconds is said.
    if (last.batchTime - stopAt > 1500) {
      assert.ok(lines.some((l) => l.includes(`stopping: what was received since the last batch goes into batch ${last.batchTime}, due in`)), lines.join('\n'));
    }
  } finally {
    server.close();
  }
  assert.equal(connections, 1, 'no reconnection');
  assert.deepEqual((allRecords() as string[]).sort(), Array.from({ length: 50 }, (_, i) => `line-${i}`).sort());
  assert.ok(lines.some((l) => /stopped: 127\.0\.0\.1:\d+ closed the connection: the stream has ended/.test(l)), lines.join('\n'));
  assert.ok(!lines.some((l) => /restarting receiver/.test(l)), lines.join('\n'));
});

test('receiver.maxRate holds within 10 % over a 5 s run', async () => {
  jobs.batches.length = 0;
  const line = Buffer.from('0123456789\n'.repeat(10_000));
  const { server, port } = await listen((socket) => {
    const pump = () => {
      while (socket.write(line));
    };
    socket.on('drain', pump);
    socket.on('error', () => {});
    pump();
  });
  const rate = 20_000;
  const { ssc } = await start({
    job,
    args: ['count-lines', '127.0.0.1', String(port)],
    conf: { executors: 2, batchDuration: '500ms', receiverMaxRate: rate },
    log: quiet,
  });
  await waitFor(() => jobs.batches.length >= 13, 20_000, '13 batches');
  await ssc.stop();
  server.close();
  // Skip the first two batches (the receiver starts inside the first); then 10 batches = 5 s.
  const window = jobs.batches.slice(2, 12);
  const seconds = (window.at(-1)!.time - window[0]!.time + 500) / 1000;
  const observed = window.reduce((n, b) => n + b.count, 0) / seconds;
  assert.ok(Math.abs(observed - rate) / rate <= 0.1, `observed ${Math.round(observed)} records/s for a limit of ${rate}`);
});

test('an oversized frame is rejected without memory blow-up; good frames around it are kept', async () => {
  jobs.batches.length = 0;
  let connections = 0;
  const { server, port } = await listen((socket) => {
    connections++;
    socket.on('error', () => {});
    if (connections === 1) {
      const huge = Buffer.alloc(4);
      huge.writeUInt32BE(2_000_000_000);
      socket.write(Buffer.concat([encodeLengthPrefixed(Buffer.from('good-1')), encodeLengthPrefixed(Buffer.from('good-2')), huge]));
      // Then a flood of bytes that must not be buffered while the frame "arrives".
      const junk = Buffer.alloc(1024 * 1024, 0x55);
      let sent = 0;
      const pump = () => {
        while (sent < 300 && socket.writable && socket.write(junk)) sent++;
        if (sent >= 300) socket.end();
      };
      socket.on('drain', pump);
      pump();
    } else if (connections === 2) {
      // Kept open: ending it would make the receiver reconnect and read these again.
      socket.write(Buffer.concat([encodeLengthPrefixed(Buffer.from('good-3')), encodeLengthPrefixed(Buffer.from('good-4'))]));
    }
  });
  const errors: string[] = [];
  const rssBefore = process.memoryUsage().rss;
  const { ssc } = await start({
    job,
    args: ['frames', '127.0.0.1', String(port)],
    conf: { executors: 2, batchDuration: '300ms', maxFrameBytes: 1024 * 1024, receiverRestartDelay: 200 },
    log: quiet,
  });
  ssc.addStreamingListener({ onReceiverError: (e) => errors.push(e.receiverInfo.lastErrorMessage) });
  await waitFor(() => allRecords().includes('good-4'), 15_000, 'frames after the reset');
  const rssGrowth = process.memoryUsage().rss - rssBefore;
  await ssc.stop();
  server.close();
  assert.deepEqual(allRecords(), ['good-1', 'good-2', 'good-3', 'good-4']);
  assert.ok(errors.some((m) => /oversized.*2000000000 bytes exceeds maxFrameBytes/.test(m)), errors.join('\n'));
  assert.ok(rssGrowth < 150 * 1024 * 1024, `driver memory grew by ${Math.round(rssGrowth / 1048576)} MB`);
});

test('rawSocketStream stores blocks grouped by the sender, every record once', async () => {
  jobs.batches.length = 0;
  const expected: string[] = [];
  const { server, port } = await listen((socket) => {
    void (async () => {
      for (let b = 0; b < 20; b++) {
        const records = Array.from({ length: 100 }, (_, i) => `r${b}-${i}`);
        expected.push(...records);
        socket.write(encodeRawBlock(records.map((r) => Buffer.from(r))));
        await sleep(20);
      }
    })();
  });
  const { ssc } = await start({ job, args: ['raw', '127.0.0.1', String(port)], conf: { executors: 2, batchDuration: '300ms' }, log: quiet });
  await waitFor(() => allRecords().length >= 2000, 15_000, 'all raw records');
  await sleep(400);
  await ssc.stop();
  server.close();
  assert.deepEqual(allRecords(), expected);
});
