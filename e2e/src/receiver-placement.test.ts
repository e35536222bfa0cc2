import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ReceiverInfo } from '@sluice/streaming';
import * as jobs from '../fixtures/receiver-jobs.js';
import { listen, sleep, start, waitFor } from './helpers.js';

// receiverPlacement 'executor': receivers run on executors, tasks go where their blocks are.

const job = fileURLToPath(new URL('../fixtures/receiver-jobs.ts', import.meta.url));
const quiet = () => {};

function allRecords(): unknown[] {
  return jobs.batches.flatMap((b) => b.records);
}

function sorted(values: number[]): number[] {
  return values.slice().sort((a, b) => a - b);
}

test('a receiver placed on an executor delivers every record exactly once, its tasks reading the blocks it holds', async () => {
  jobs.batches.length = 0;
  const total = 3000;
  const started: ReceiverInfo[] = [];
  const { ssc } = await start({
    job,
    args: ['sequence', String(total)],
    // Replication 1: a task sent anywhere but the receiver's executor could not find its block.
    conf: { executors: 2, batchDuration: '300ms', blockInterval: '50ms', receiverPlacement: 'executor', blockReplication: 1 },
    log: quiet,
  });
  ssc.addStreamingListener({ onReceiverStarted: (e) => started.push(e.receiverInfo) });
  await waitFor(() => allRecords().length >= total, 20_000, 'all records');
  await ssc.stop({ graceful: true });
  assert.deepEqual(sorted(allRecords() as number[]), Array.from({ length: total }, (_, i) => i), 'every record once');
  assert.equal(started.length, 1);
  assert.match(started[0]!.executorId, /^[01]$/, 'the receiver ran on an executor, not the driver');
  assert.equal(ssc.receivers[0]!.recordsStored, total, 'the driver counts the records the executor stored');
  const failed = ssc.completedBatches.filter((b) => Object.values(b.outputOperationInfos).some((o) => o.failureReason));
  assert.deepEqual(failed, [], 'no batch failed');
});

test("a receiver's preferredLocation chooses its executor", async () => {
  for (const wanted of ['1', '0']) {
    jobs.batches.length = 0;
    const started: ReceiverInfo[] = [];
    const { ssc } = await start({
      job,
      args: ['sequence-on', '300', wanted],
      conf: { executors: 2, batchDuration: '300ms', blockInterval: '50ms', receiverPlacement: 'executor' },
      log: quiet,
    });
    ssc.addStreamingListener({ onReceiverStarted: (e) => started.push(e.receiverInfo) });
    await waitFor(() => allRecords().length >= 300, 15_000, 'all records');
    await ssc.stop({ graceful: true });
    assert.equal(started[0]?.executorId, wanted, `preferredLocation ${wanted}`);
    assert.equal(allRecords().length, 300);
  }
});

/**
 * A source that sends `count` lines tagged with the connection number on every connection
 * and keeps it open, so a receiver that moves reconnects and gets a fresh series.
 */
async function taggedLineSource(count: number) {
  let connections = 0;
  const { server, port } = await listen((socket) => {
    const tag = connections++;
    socket.write(Array.from({ length: count }, (_, i) => `c${tag}-${i}`).join('\n') + '\n');
  });
  return { server, port };
}

/**
 * Batch times are multiples of the batch duration. Waiting until just after one leaves
 * most of a period for the test to start the job and kill an executor before any batch.
 */
async function justAfterBatchBoundary(periodMs: number): Promise<void> {
  while (Date.now() % periodMs > 500) await sleep(50);
}

const LONG_BATCH_MS = 10_000;

async function killReceiverExecutor(ssc: { receivers: { info(): ReceiverInfo }[] }, pids: Record<string, number>): Promise<string> {
  const holder = ssc.receivers[0]!.info().executorId;
  const pid = pids[holder];
  assert.ok(pid, `executor ${holder} runs the receiver and is a local process`);
  process.kill(pid, 'SIGKILL');
  return holder;
}

test('blockReplication 2: killing the receiver executor loses nothing it had stored, and the receiver moves', async () => {
  jobs.batches.length = 0;
  const count = 2000;
  const { server, port } = await taggedLineSource(count);
  const started: ReceiverInfo[] = [];
  // Long batches: the executor dies while its blocks wait for the first one.
  await justAfterBatchBoundary(LONG_BATCH_MS);
  const { ssc, pool } = await start({
    job,
    args: ['lines', '127.0.0.1', String(port)],
    conf: { executors: 2, batchDuration: LONG_BATCH_MS, blockInterval: '100ms', receiverPlacement: 'executor', blockReplication: 2 },
    log: quiet,
  });
  ssc.addStreamingListener({ onReceiverStarted: (e) => started.push(e.receiverInfo) });
  try {
    await waitFor(() => ssc.receivers[0]!.recordsStored >= count, 10_000, 'the first series stored');
    assert.equal(allRecords().length, 0, 'killed before any batch ran');
    const victim = await killReceiverExecutor(ssc, pool.localExecutorPids);
    await waitFor(() => allRecords().filter((r) => String(r).startsWith('c1-')).length >= count, 30_000, 'the series of the second connection');
    await sleep(200);
    assert.equal(ssc.completedBatches.length, 1, 'all of it in the first batch, after the kill');
    const first = (allRecords() as string[]).filter((r) => r.startsWith('c0-'));
    assert.equal(first.length, count, 'every line of the first connection once, from the driver copies');
    assert.equal(new Set(first).size, count);
    assert.equal(started.length, 2, 'the receiver started twice');
    assert.notEqual(started[1]!.executorId, victim, 'and the second time on another executor');
  } finally {
    server.close();
  }
});

test('blockReplication 1: losing the receiver executor reports the lost blocks, and the stream goes on', async () => {
  jobs.batches.length = 0;
  const count = 500;
  const { server, port } = await taggedLineSource(count);
  const log: string[] = [];
  await justAfterBatchBoundary(LONG_BATCH_MS);
  const { ssc, pool } = await start({
    job,
    args: ['lines', '127.0.0.1', String(port)],
    conf: { executors: 2, batchDuration: LONG_BATCH_MS, blockInterval: '100ms', receiverPlacement: 'executor', blockReplication: 1 },
    log: (line) => log.push(line),
  });
  try {
    await waitFor(() => ssc.receivers[0]!.recordsStored >= count, 10_000, 'the first series stored');
    const victim = await killReceiverExecutor(ssc, pool.localExecutorPids);
    await waitFor(() => allRecords().filter((r) => String(r).startsWith('c1-')).length >= count, 30_000, 'the series of the second connection');
    const lostLine = log.find((l) => l.includes(`with executor ${victim}`) && l.includes('blockReplication=1'));
    assert.ok(lostLine, `the loss is reported; log:\n${log.join('\n')}`);
    assert.match(lostLine, new RegExp(`\\(${count} records\\)`), 'with the number of records lost');
    assert.equal((allRecords() as string[]).filter((r) => r.startsWith('c0-')).length, 0, 'the lost lines are not made up');
  } finally {
    server.close();
  }
});
