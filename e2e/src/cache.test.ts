import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import * as cacheJobs from '../fixtures/cache-jobs';
import { start, waitFor } from './helpers';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

function computationsIn(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

test('a persisted RDD read by two actions is computed once per partition', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-cache-'));
  const log = join(dir, 'computations');
  cacheJobs.results.length = 0;
  cacheJobs.queue.length = 0;
  const numbers = Array.from({ length: 1000 }, (_, i) => i);
  cacheJobs.queue.push(numbers);
  const { ssc } = await start({
    job: fixture('cache-jobs.ts'),
    args: ['read-twice', log],
    conf: { executors: 1, batchDuration: '300ms' },
    log: () => {},
  });
  await waitFor(() => cacheJobs.results.length >= 1, 15_000, 'the batch');
  await ssc.stop();
  const computed = computationsIn(log);
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(cacheJobs.results[0]!.value, { count: 1000, sum: numbers.reduce((a, n) => a + n * n, 0) });
  const time = cacheJobs.results[0]!.time;
  assert.deepEqual(computed.filter((l) => l.startsWith(`${time} `)).sort(), [`${time} 0`, `${time} 1`]);
});
