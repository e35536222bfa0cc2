import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BatchInfo } from '@sluice/streaming';
import * as jobs from '../fixtures/receiver-jobs.js';
import { listen, start, waitFor } from './helpers.js';

const job = fileURLToPath(new URL('../fixtures/receiver-jobs.ts', import.meta.url));
const quiet = () => {};

test('backpressure throttles a fast sender to what the job processes, on a receiver placed on an executor', async () => {
  jobs.batches.length = 0;
  // A sender as fast as the socket allows (it would fill the receiver with hundreds of MB).
  const line = Buffer.from('0123456789\n'.repeat(10_000));
  let sent = 0;
  const { server, port } = await listen((socket) => {
    const pump = () => {
      while (socket.write(line)) sent += line.length;
    };
    socket.on('drain', pump);
    pump();
  });
  const capacity = 10_000; // records/s: the job sleeps 0.1 ms per record
  const initialRate = 30_000;
  const batchMs = 500;
  const { ssc } = await start({
    job,
    args: ['slow-lines', '127.0.0.1', String(port), String(capacity)],
    conf: {
      executors: 1,
      batchDuration: batchMs,
      blockInterval: 100,
      receiverPlacement: 'executor',
      backpressureEnabled: true,
      backpressureInitialRate: initialRate,
    },
    log: quiet,
  });
  const completed: BatchInfo[] = [];
  ssc.addStreamingListener({ onBatchCompleted: ({ batchInfo }) => completed.push(batchInfo) });
  // Until four batches with records were cut under an estimated rate (a loaded machine
  // takes longer to get there: the first estimate needs two completed batches).
  const estimated = () =>
    completed.filter((b) => b.numRecords > 0 && (Object.values(b.streamIdToInputInfo)[0]?.rateLimit ?? initialRate) !== initialRate).length;
  const describe = () =>
    completed.map((b) => `${b.numRecords}@${Object.values(b.streamIdToInputInfo)[0]?.rateLimit}(${b.schedulingDelay}+${b.processingDelay}ms)`).join(' ');
  await waitFor(() => estimated() >= 4, 60_000, 'four batches under estimated rates').catch((err: Error) => {
    throw new Error(`${err.message}: ${describe()}`);
  });
  await ssc.stop();
  server.close();

  const withRecords = completed.filter((b) => b.numRecords > 0);
  const inputs = withRecords.map((b) => Object.values(b.streamIdToInputInfo)[0]!);
  const described = inputs.map((i, n) => `${withRecords[n]!.numRecords}@${i.rateLimit}`).join(' ');
  // Every batch says which rate it was cut under: the initial rate, then the estimates.
  assert.ok(inputs.every((i) => typeof i.rateLimit === 'number' && i.rateLimit > 0), `rates: ${described}`);
  assert.equal(inputs[0]!.rateLimit, initialRate);
  // Before any estimate, the batches are bounded by the initial rate, not by the sender
  // (on average: the receiver takes the socket's reads whole, 64 KiB = 5958 lines each,
  // and pauses long enough after each).
  const early = inputs.filter((i) => i.rateLimit === initialRate).length;
  const earlyRecords = withRecords.slice(0, early).reduce((n, b) => n + b.numRecords, 0);
  assert.ok(earlyRecords <= initialRate * (batchMs / 1000) * early + 6000, `first ${early} batches: ${described}`);
  // The controller brings the rate down to about what the job processes (the integral
  // term of the scheduling delay may take it below for a while; minRate is 100).
  const last = inputs.slice(-4);
  assert.ok(last.every((i) => i.rateLimit! < capacity * 1.3), `late rates: ${described}`);
  // And the receiver follows it: a batch's records arrived under the rate in force
  // before it was cut (the previous batch's), plus at most one second of burst and one
  // socket read (taken whole; the receiver then pauses for as long as it overdrew).
  for (let n = withRecords.length - 4; n < withRecords.length; n++) {
    const rate = inputs[n - 1]!.rateLimit!;
    const allowed = rate * (batchMs / 1000 + 1);
    assert.ok(withRecords[n]!.numRecords <= allowed + 6000, `batch ${n}: ${withRecords[n]!.numRecords} records under ${rate}/s: ${described}`);
  }
  // The receiver stopped reading the socket meanwhile (TCP backpressure reached the sender).
  const received = withRecords.reduce((n, b) => n + b.numRecords, 0) * 11;
  assert.ok(sent < received + 64 * 1024 * 1024, `sent ${sent} bytes, received ${received}`);
});

test('a fast sender is held back by TCP when the receive buffer is full: bounded memory, nothing lost', async () => {
  jobs.batches.length = 0;
  // The previous test's context stops without waiting for its output operation, whose
  // sleep may still end and push a batch here: count only this context's batches.
  const since = Date.now();
  const counted = () => jobs.batches.filter((b) => b.time >= since).reduce((n, b) => n + b.count, 0);
  const line = Buffer.from('0123456789\n'.repeat(10_000));
  const rounds = 400; // 44 MB, 4 million lines: the kernel takes it in well under a second
  let connections = 0;
  const { server, port } = await listen((socket) => {
    // The receiver reconnects after the end of the stream: later connections get nothing.
    if (connections++ > 0) return void socket.end();
    let sentRounds = 0;
    const pump = () => {
      while (sentRounds < rounds) {
        sentRounds++;
        if (!socket.write(line)) return;
      }
      socket.end();
    };
    socket.on('drain', pump);
    pump();
  });
  const budget = 4 * 1024 * 1024;
  const { ssc } = await start({
    job,
    // The job processes 2 million lines/s: 2 s for all of them.
    args: ['slow-lines', '127.0.0.1', String(port), '2000000'],
    conf: { executors: 1, batchDuration: 200, blockInterval: 100, receiverMaxBuffered: budget },
    log: quiet,
  });
  let maxHeld = 0;
  const sampler = setInterval(() => (maxHeld = Math.max(maxHeld, ssc.blocksHeld().get('driver')?.bytes ?? 0)), 10);
  const total = rounds * 10_000;
  try {
    await waitFor(() => counted() >= total, 60_000, 'every line');
  } finally {
    clearInterval(sampler);
    await ssc.stop();
    server.close();
  }
  assert.equal(counted(), total, 'every line once');
  // The budget, overshot by at most what one socket read brings (a read fills what is left
  // of a slab of up to 16 MiB); without the bound the driver held all 44 MB at once.
  assert.ok(maxHeld <= budget + 17 * 1024 * 1024, `the driver held up to ${maxHeld} bytes`);
  assert.ok(maxHeld < 30 * 1024 * 1024, `the driver held up to ${maxHeld} bytes`);
});
