/**
 * Executors run tasks in task threads: cores run in parallel, the executor's heartbeat
 * keeps flowing while user code loops, and tasks can be killed (a failed job's other
 * tasks, a stuck task, everything at stop).
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { BatchInfo } from '@sluice/streaming';
import * as busyJobs from '../fixtures/busy-task-jobs.js';
import { start, waitFor } from './helpers.js';

const job = fileURLToPath(new URL('../fixtures/busy-task-jobs.ts', import.meta.url));

function reset(): void {
  busyJobs.queue.length = 0;
  busyJobs.results.length = 0;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('one executor with 2 cores runs 2 tasks at once, in 2 threads of the same process', async () => {
  reset();
  busyJobs.queue.push([1500, 1500]);
  const { ssc } = await start({ job, conf: { executors: 1, executorCores: 2, batchDuration: '500ms' }, log: () => {} });
  await waitFor(() => busyJobs.results.length >= 1, 30_000, 'the batch');
  await ssc.stop();
  const runs = busyJobs.results[0]!.value as busyJobs.TaskRun[];
  assert.equal(runs.length, 2);
  const [a, b] = runs as [busyJobs.TaskRun, busyJobs.TaskRun];
  assert.equal(a.pid, b.pid, 'both tasks ran in the one executor process');
  assert.notEqual(a.threadId, b.threadId, 'each task ran in a thread of its own');
  assert.notEqual(a.threadId, 0, 'tasks never run on the executor main thread');
  // Both synchronous loops were burning at the same time: real parallelism, not two
  // async slots on one event loop (which would run them one after the other).
  assert.ok(a.start < b.end && b.start < a.end, `the loops overlap: ${JSON.stringify(runs)}`);
});

test('a task looping synchronously for longer than the executor timeout: heartbeats keep flowing, the executor is not lost', async () => {
  reset();
  busyJobs.queue.push([7000]);
  const logs: string[] = [];
  const { ssc, pool } = await start({
    job,
    conf: { executors: 1, batchDuration: '500ms', executorTimeout: '3s', stuckTaskTimeout: 0 },
    log: (l) => logs.push(l),
  });
  const beats: { time: number; runningTasks: number }[] = [];
  const sub = pool.events$.subscribe((e) => {
    if (e.type === 'heartbeat') beats.push({ time: e.time, runningTasks: e.runningTasks });
  });
  await waitFor(() => busyJobs.results.length >= 1, 30_000, 'the batch with the 7 s loop');
  sub.unsubscribe();
  await ssc.stop();
  const runs = busyJobs.results[0]!.value as busyJobs.TaskRun[];
  assert.equal(runs.length, 1);
  const { start: from, end: to } = runs[0]!;
  const during = beats.filter((b) => b.time > from && b.time < to && b.runningTasks === 1);
  assert.ok(during.length >= 2, `heartbeats during the 7 s loop: ${during.length} (all: ${JSON.stringify(beats)})`);
  assert.ok(!logs.some((l) => /lost executor|replacement executor/.test(l)), `no executor was lost: ${logs.join('\n')}`);
});

test('a stuck task is reported with its stage, partition and executor, and killed when killStuckTasks is set', async () => {
  reset();
  busyJobs.queue.push([120_000], [10]);
  const logs: string[] = [];
  const batches: BatchInfo[] = [];
  const { ssc } = await start({
    job,
    conf: { executors: 1, batchDuration: '500ms', stuckTaskTimeout: '1s', killStuckTasks: true },
    log: (l) => logs.push(l),
  });
  ssc.addStreamingListener({ onBatchCompleted: (e) => batches.push(e.batchInfo) });
  await waitFor(() => logs.some((l) => l.includes('longer than stuckTaskTimeout')), 20_000, 'the stuck task report');
  const report = logs.find((l) => l.includes('longer than stuckTaskTimeout'))!;
  assert.match(report, /task \d+ \(batch \d+, output operation 0, job 0, stage \S+, partition [01]\) has been running for \d+\.\d s on executor 0/);
  assert.match(report, /killing it/);
  // Killed, its batch fails with the reason; the executor replaces the task thread and
  // runs the next batch's task.
  await waitFor(() => busyJobs.results.length >= 1, 30_000, 'the next batch');
  await ssc.stop();
  const failed = batches.flatMap((b) => Object.values(b.outputOperationInfos)).find((o) => o.failureReason);
  assert.match(failed?.failureReason ?? '', /TaskKilled: .*stuck in user code/);
  const runs = busyJobs.results[0]!.value as busyJobs.TaskRun[];
  assert.equal(runs.length, 1, 'the next batch ran its 10 ms task');
});

test('a failed job kills its other running tasks instead of letting them run on', async () => {
  reset();
  busyJobs.queue.push([-1, 60_000]);
  const logs: string[] = [];
  const batches: BatchInfo[] = [];
  const { ssc, pool } = await start({ job, conf: { executors: 1, executorCores: 2, batchDuration: '500ms' }, log: (l) => logs.push(l) });
  ssc.addStreamingListener({ onBatchCompleted: (e) => batches.push(e.batchInfo) });
  const idle: number[] = [];
  const sub = pool.events$.subscribe((e) => {
    if (e.type === 'heartbeat' && e.runningTasks === 0) idle.push(e.time);
  });
  await waitFor(() => batches.some((b) => Object.values(b.outputOperationInfos).some((o) => o.failureReason)), 30_000, 'the failed batch');
  const failedAt = Date.now();
  // The 60 s task was killed: the executor soon reports no running task.
  await waitFor(() => idle.some((t) => t > failedAt), 10_000, 'the executor to report no running task');
  sub.unsubscribe();
  await ssc.stop();
  assert.ok(!logs.some((l) => /lost executor/.test(l)), logs.join('\n'));
});

test('stop kills running tasks at once: the executor exits without waiting for a 60 s loop', async () => {
  reset();
  busyJobs.queue.push([60_000, 60_000]);
  const { ssc, pool } = await start({ job, conf: { executors: 1, executorCores: 2, batchDuration: '500ms' }, log: () => {} });
  let running = 0;
  const sub = pool.events$.subscribe((e) => {
    if (e.type === 'heartbeat') running = e.runningTasks;
  });
  await waitFor(() => running === 2, 20_000, 'both tasks to run');
  sub.unsubscribe();
  const pids = Object.values(pool.localExecutorPids);
  assert.equal(pids.length, 1);
  const stopping = Date.now();
  await ssc.stop();
  const tookMs = Date.now() - stopping;
  // The driver waits 3 s for executors to exit before it kills them: an executor whose
  // event loop a task blocked would take that long.
  assert.ok(tookMs < 2500, `stop took ${tookMs} ms`);
  await waitFor(() => !alive(pids[0]!), 2000, 'the executor process to exit');
  assert.equal(busyJobs.results.length, 0, 'no batch finished');
});
