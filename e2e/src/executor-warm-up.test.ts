/**
 * submit's executorWarmUp: every task thread of every local executor runs the warm-up
 * module as it starts, before the job reaches it, with the given arguments; the job's
 * tasks find what it prepared. A warm-up that fails is reported and the job still runs.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import * as warmUpJobs from '../fixtures/warm-up-jobs.js';
import { start, waitFor } from './helpers.js';

const job = fileURLToPath(new URL('../fixtures/warm-up-jobs.ts', import.meta.url));

function reset(): void {
  warmUpJobs.queue.length = 0;
  warmUpJobs.results.length = 0;
  warmUpJobs.queue.push([1, 2, 3, 4]);
}

test('the warm-up runs in each task thread before its tasks, with its arguments', async () => {
  reset();
  const { ssc } = await start({
    job,
    conf: { executors: 2, batchDuration: '300ms' },
    executorWarmUp: { module: job, args: ['model-a', '8'] },
    log: () => {},
  });
  await waitFor(() => warmUpJobs.results.length >= 1, 30_000, 'the first batch');
  await ssc.stop();
  const saw = warmUpJobs.results[0]!;
  assert.equal(saw.length, 2);
  for (const task of saw) {
    assert.notEqual(task.threadId, 0, 'tasks run in task threads');
    assert.deepEqual(task.note, { args: ['model-a', '8'], threadId: task.threadId, pid: task.pid }, JSON.stringify(saw));
  }
});

test('a warm-up that throws is reported, and the job runs without it', async () => {
  reset();
  const logs: string[] = [];
  const { ssc } = await start({
    job,
    conf: { executors: 1, batchDuration: '300ms' },
    executorWarmUp: { module: job, args: ['fail'] },
    log: (line) => logs.push(line),
  });
  await waitFor(() => warmUpJobs.results.length >= 1, 30_000, 'the first batch');
  await ssc.stop();
  assert.ok(warmUpJobs.results[0]!.every((task) => task.note === null));
  assert.ok(
    logs.some((l) => /the warm-up .*warm-up-jobs\.ts failed: the warm-up could not find its model/.test(l)),
    logs.join('\n'),
  );
});
