import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as job from '../fixtures/broadcast-job.js';
import { start, waitFor } from './helpers.js';

const fixture = fileURLToPath(new URL('../fixtures/broadcast-job.ts', import.meta.url));

test('a broadcast value the driver updates reaches the tasks of the next batches on 2 executors', async () => {
  job.results.length = 0;
  job.queue.length = 0;
  const numbers = Array.from({ length: 40 }, (_, i) => i);
  for (let b = 0; b < 5; b++) job.queue.push([...numbers]);
  const { ssc } = await start({ job: fixture, conf: { executors: 2, batchDuration: 300 }, log: () => {} });
  await waitFor(() => job.results.length >= 5, 20_000, '5 batches');
  await ssc.stop();

  const thresholds = job.results.map((r) => r.threshold);
  assert.equal(thresholds[0], 0, 'the first batch has the initial value');
  assert.ok(new Set(thresholds).size >= 3, `the tasks saw the driver's updates: ${thresholds.join(', ')}`);
  for (let i = 1; i < thresholds.length; i++) assert.ok(thresholds[i]! >= thresholds[i - 1]!, 'values only grow');
  for (const r of job.results.slice(0, 5)) {
    // Every task of a batch filtered with the value the driver had for that batch.
    assert.deepEqual([...r.kept].sort((a, b) => a - b), numbers.filter((n) => n > r.threshold), `batch with threshold ${r.threshold}`);
  }
  // The lookup table travels too: the first batch knows only 0 -> zero.
  const first = job.results[0]!;
  assert.deepEqual(new Set(first.labels), new Set(['zero', '?']));
  assert.ok(job.results.slice(1).some((r) => r.labels.some((l) => l.startsWith('seen'))), 'later tables reach the tasks');
});
