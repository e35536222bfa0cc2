import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import * as queueJobs from '../fixtures/queue-jobs.js';
import { start, waitFor } from './helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

test('executorNodeOptions reach the node command line of every local executor, which still runs tasks', async () => {
  queueJobs.results.length = 0;
  queueJobs.queue.length = 0;
  queueJobs.queue.push([
    ['a', 1],
    ['b', 2],
    ['a', 3],
  ]);
  const { ssc, pool } = await start({
    job: fixture('queue-jobs.ts'),
    args: ['reduce'],
    conf: { executors: 2, batchDuration: '300ms', executorNodeOptions: ' --max-old-space-size=384   --stack-size=900 ' },
    log: () => {},
  });
  await waitFor(() => queueJobs.results.length >= 1, 20_000, 'the first batch');
  const pids = Object.values(pool.localExecutorPids);
  assert.equal(pids.length, 2);
  for (const pid of pids) {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    // Node's own options come before the executor's script, split at white space.
    assert.deepEqual(argv.slice(1, 3), ['--max-old-space-size=384', '--stack-size=900'], argv.join(' '));
    assert.match(argv[3] ?? '', /sluice-executor\.mjs$/);
  }
  await ssc.stop();
  const { pairs } = queueJobs.results[0]!.value as { pairs: [string, number][] };
  assert.deepEqual(
    [...pairs].sort(([a], [b]) => a.localeCompare(b)),
    [
      ['a', 4],
      ['b', 2],
    ],
  );
});
