import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BatchInfo } from '@sluice/streaming';
import * as jobs from '../fixtures/receiver-jobs';
import { listen, start, waitFor } from './helpers';

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
  await waitFor(() => estimated() >= 4, 60_000, 'four batches under estimated rates');
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
  // before it was cut (the previous batch's), plus at most one second of burst.
  for (let n = withRecords.length - 4; n < withRecords.length; n++) {
    const rate = inputs[n - 1]!.rateLimit!;
    const allowed = rate * (batchMs / 1000 + 1);
    assert.ok(withRecords[n]!.numRecords <= allowed + 1000, `batch ${n}: ${withRecords[n]!.numRecords} records under ${rate}/s: ${described}`);
  }
  // The receiver stopped reading the socket meanwhile (TCP backpressure reached the sender).
  const received = withRecords.reduce((n, b) => n + b.numRecords, 0) * 11;
  assert.ok(sent < received + 64 * 1024 * 1024, `sent ${sent} bytes, received ${received}`);
});
