import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { withDirLock } from './dir-lock.js';

const scratch = mkdtempSync(join(tmpdir(), 'sluice-dir-lock-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('a second process waits (told once) until the first releases the lock', async () => {
  const lock = join(scratch, 'busy.lock');
  // Another process holds the lock directory for 800 ms, as a fetch in progress would.
  const holder = spawn(process.execPath, ['-e', `const fs=require('fs');fs.mkdirSync(${JSON.stringify(lock)});setTimeout(()=>fs.rmSync(${JSON.stringify(lock)},{recursive:true}),800)`]);
  const exited = once(holder, 'exit');
  while (!(await exists(lock))) await sleep(10);
  let waits = 0;
  const started = Date.now();
  const result = await withDirLock(lock, () => waits++, async () => 'fetched');
  assert.equal(result, 'fetched');
  assert.equal(waits, 1);
  assert.ok(Date.now() - started >= 300, 'it waited for the holder');
  assert.equal(await exists(lock), false, 'released after the work');
  await exited;
});

test('a lock left by a process that died (older than staleAfterMs) is taken over; the lock is released when the work throws', async () => {
  const lock = join(scratch, 'stale.lock');
  mkdirSync(lock);
  const old = new Date(Date.now() - 60_000);
  utimesSync(lock, old, old);
  let waits = 0;
  await assert.rejects(withDirLock(lock, () => waits++, async () => { throw new Error('fetch failed'); }, 30_000), /fetch failed/);
  assert.equal(waits, 0);
  assert.equal(await exists(lock), false);
});

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
