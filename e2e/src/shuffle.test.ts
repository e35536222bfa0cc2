import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import * as cacheJobs from '../fixtures/cache-jobs.js';
import { sleep, start, waitFor } from './helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

function pairs(n: number): [string, number][] {
  const out: [string, number][] = [];
  let x = 7;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out.push([`k${'x'.repeat(x % 5)}${x % 301}`, (x >> 8) % 50]);
  }
  return out;
}

/** What the job computes, in plain code: per key length, the sum of the values. */
function expected(input: [string, number][]): Map<number, number> {
  const out = new Map<number, number>();
  for (const [k, v] of input) out.set(k.length, (out.get(k.length) ?? 0) + v);
  return out;
}

function setUp(): { log: string; computed: () => string[]; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-shuffle-'));
  const log = join(dir, 'computations');
  cacheJobs.results.length = 0;
  cacheJobs.queue.length = 0;
  return {
    log,
    computed: () => {
      try {
        return readFileSync(log, 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

test('reduce tasks fetch map outputs from their peer executors; the driver carries no shuffle bytes', async () => {
  const t = setUp();
  const input = pairs(20_000);
  cacheJobs.queue.push(input);
  const { ssc, pool } = await start({
    job: fixture('cache-jobs.ts'),
    args: ['two-shuffles', t.log],
    conf: { executors: 2, batchDuration: '500ms' },
    log: () => {},
  });
  await waitFor(() => cacheJobs.results.length >= 1, 20_000, 'the batch');
  await ssc.stop();
  t.remove();
  assert.deepEqual(new Map(cacheJobs.results[0]!.value as [number, number][]), expected(input));
  // 4 map tasks over 2 executors: each reduce task finds some buckets at home and fetches
  // the others from the peer that wrote them.
  assert.ok(pool.shuffleStats.bytesFetchedFromPeers > 0, `bytes fetched from peers: ${pool.shuffleStats.bytesFetchedFromPeers}`);
  assert.ok(pool.shuffleStats.bytesReadLocally > 0, `bytes read locally: ${pool.shuffleStats.bytesReadLocally}`);
});

test('an executor killed -9 while holding map outputs: the lost map tasks run again and the result is exact', async () => {
  const t = setUp();
  const input = pairs(20_000);
  cacheJobs.queue.push(input);
  const logs: string[] = [];
  const { ssc, pool } = await start({
    job: fixture('cache-jobs.ts'),
    args: ['two-shuffles', t.log],
    conf: { executors: 2, batchDuration: '500ms' },
    log: (l) => logs.push(l),
  });
  // Shuffle 1's map side is quick; shuffle 2's map side takes 700 ms a task. Once shuffle 1's
  // four map tasks ran, kill an executor: it held about half of their outputs.
  await waitFor(() => t.computed().length >= 4, 20_000, "shuffle 1's map tasks");
  await sleep(250);
  const victim = pool.executorIds[0]!;
  process.kill(pool.localExecutorPids[victim]!, 'SIGKILL');
  await waitFor(() => cacheJobs.results.length >= 1, 40_000, 'the batch');
  await ssc.stop();
  const computed = t.computed();
  t.remove();
  assert.deepEqual(new Map(cacheJobs.results[0]!.value as [number, number][]), expected(input));
  const time = cacheJobs.results[0]!.time;
  const maps = computed.filter((l) => l.startsWith(`${time} map `));
  assert.ok(maps.length > 4, `shuffle 1's map tasks that lost their outputs ran again: ${maps.join(', ')}`);
  assert.ok(logs.some((l) => l.includes(`lost executor ${victim}`)));
});
