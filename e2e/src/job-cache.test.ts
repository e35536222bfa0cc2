import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Executors keep the job bundles they were sent in jobs/ of Sluice's cache directory
// (SLUICE_CACHE_DIR, else ~/.cache/sluice); SLUICE_JOB_CACHE names a directory of its own.

const sluice = fileURLToPath(new URL('../../packages/cli/bin/sluice.mjs', import.meta.url));
const job = fileURLToPath(new URL('../fixtures/print-queue-job.ts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'sluice-job-cache-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function submit(env: Record<string, string>) {
  const base = { ...process.env };
  delete base.SLUICE_JOB_CACHE;
  delete base.SLUICE_CACHE_DIR;
  const r = spawnSync(process.execPath, [sluice, 'submit', '--run-for', '1500ms', '--batch-duration', '500ms', '--no-ui', job], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...base, ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return r;
}

const bundles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.mjs')) : []);

test('with SLUICE_CACHE_DIR set, executors cache the job bundle in its jobs/ directory', () => {
  const cache = join(scratch, 'cache');
  const r = submit({ SLUICE_CACHE_DIR: cache });
  assert.equal(bundles(join(cache, 'jobs')).length, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`cached as ${join(cache, 'jobs')}/[0-9a-f]{64}\\.`));
});

test('SLUICE_JOB_CACHE wins over SLUICE_CACHE_DIR', () => {
  const cache = join(scratch, 'cache-unused');
  const jobs = join(scratch, 'jobs');
  submit({ SLUICE_CACHE_DIR: cache, SLUICE_JOB_CACHE: jobs });
  assert.equal(bundles(jobs).length, 1);
  assert.equal(existsSync(join(cache, 'jobs')), false);
});
