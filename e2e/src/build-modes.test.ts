import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

// The programs run the built JavaScript (dist/) unless SLUICE_FROM_SOURCE=1 asks for the
// sources; the executors a driver starts run the way the driver does.

const sluice = fileURLToPath(new URL('../../packages/cli/bin/sluice.mjs', import.meta.url));
const job = fileURLToPath(new URL('../fixtures/build-mode-job.ts', import.meta.url));
// One job cache for both runs, as on a machine where both ways are used: a bundle stored
// by an executor from the sources (its imports resolved to src/) must not be taken by one
// from dist/.
const jobCache = mkdtempSync(join(tmpdir(), 'sluice-build-modes-'));
after(() => rmSync(jobCache, { recursive: true, force: true }));

function submit(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [sluice, 'submit', '--run-for', '2500ms', '--batch-duration', '500ms', '--no-ui', job], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...env, SLUICE_JOB_CACHE: jobCache },
  });
}

test('SLUICE_FROM_SOURCE=1: sluice runs the sources and its executors do too', () => {
  const r = submit({ ...process.env, SLUICE_FROM_SOURCE: '1' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /executor runs from src \(500ms\)/);
  assert.doesNotMatch(r.stdout, /executor runs from dist/);
});

test('sluice runs from dist/ and starts its executors from dist/', () => {
  const env = { ...process.env };
  delete env.SLUICE_FROM_SOURCE;
  const r = submit(env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /executor runs from dist \(500ms\)/);
  assert.doesNotMatch(r.stdout, /executor runs from src/);
});
