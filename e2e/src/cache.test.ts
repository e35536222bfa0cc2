import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import * as cacheJobs from '../fixtures/cache-jobs.js';
import { start, waitFor } from './helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** A file the job notes each partition computation in (executors are other processes). */
function computationLog(): { path: string; lines: () => string[]; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-cache-'));
  const path = join(dir, 'computations');
  return {
    path,
    lines: () => {
      try {
        return readFileSync(path, 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function resetJobs(): void {
  cacheJobs.results.length = 0;
  cacheJobs.queue.length = 0;
  cacheJobs.between.hook = async () => {};
  cacheJobs.between.persistedId = '';
}

const numbers = Array.from({ length: 1000 }, (_, i) => i);
const sumOfSquares = numbers.reduce((a, n) => a + n * n, 0);

test('a persisted RDD read by two actions on 2 executors is computed once per partition (the second action runs where they are cached)', async () => {
  const log = computationLog();
  resetJobs();
  cacheJobs.queue.push(numbers);
  const { ssc } = await start({
    job: fixture('cache-jobs.ts'),
    args: ['read-twice', log.path],
    conf: { executors: 2, batchDuration: '300ms' },
    log: () => {},
  });
  await waitFor(() => cacheJobs.results.length >= 1, 15_000, 'the batch');
  await ssc.stop();
  const computed = log.lines();
  log.remove();
  assert.deepEqual(cacheJobs.results[0]!.value, { count: 1000, sum: sumOfSquares });
  const time = cacheJobs.results[0]!.time;
  assert.deepEqual(computed.filter((l) => l.startsWith(`${time} `)).sort(), [0, 1, 2, 3].map((p) => `${time} ${p}`));
});

test('an executor killed with cached partitions: the next action recomputes them from lineage, and the result is exact', async () => {
  const log = computationLog();
  resetJobs();
  cacheJobs.queue.push(numbers);
  const logs: string[] = [];
  const { ssc, pool } = await start({
    job: fixture('cache-jobs.ts'),
    args: ['kill-between-actions', log.path],
    conf: { executors: 2, batchDuration: '300ms', localityWait: '5s' },
    log: (l) => logs.push(l),
  });
  let killed = '';
  cacheJobs.between.hook = async () => {
    cacheJobs.between.hook = async () => {};
    const holders = new Set([0, 1, 2, 3].flatMap((p) => ssc.tracking.cache.locations(cacheJobs.between.persistedId, p)));
    assert.ok(holders.size > 0, 'the driver knows where the cached partitions are');
    killed = [...holders][0]!;
    process.kill(pool.localExecutorPids[killed]!, 'SIGKILL');
    await waitFor(() => !pool.executorIds.includes(killed), 10_000, `executor ${killed} to be declared lost`);
  };
  await waitFor(() => cacheJobs.results.length >= 1, 30_000, 'the batch');
  await ssc.stop();
  const computed = log.lines();
  log.remove();
  assert.ok(killed, 'an executor was killed between the actions');
  assert.deepEqual(cacheJobs.results[0]!.value, { count: 1000, sum: sumOfSquares });
  const time = cacheJobs.results[0]!.time;
  const ofBatch = computed.filter((l) => l.startsWith(`${time} `));
  // Each partition once for the first action, and again the ones the killed executor kept.
  assert.ok(ofBatch.length > 4, `partitions computed again after the kill: ${ofBatch.join(', ')}`);
  assert.deepEqual([...new Set(ofBatch)].sort(), [0, 1, 2, 3].map((p) => `${time} ${p}`));
  assert.ok(logs.some((l) => l.includes(`lost executor ${killed}`)));
});

