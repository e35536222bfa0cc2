import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { submit } from '@sluice/cli';
import { readLatestMetadataCheckpoint } from '@sluice/streaming/internal';
import * as jobs from '../fixtures/recovery-jobs.js';
import { start, waitFor } from './helpers.js';

const fixture = fileURLToPath(new URL('../fixtures/recovery-jobs.ts', import.meta.url));
const SLUICE = fileURLToPath(new URL('../../packages/cli/bin/sluice.mjs', import.meta.url));
const quiet = () => {};

test('a checkpoint is recovered by the same graph and refused by another, saying what differs', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-recovery-'));
  const checkpoint = join(dir, 'ckpt');
  try {
    const conf = { executors: 1, batchDuration: '200ms', blockInterval: '100ms' };
    const first = await start({ job: fixture, args: ['graph-a'], conf, checkpointDir: checkpoint, log: quiet });
    await waitFor(() => first.ssc.completedBatches.length >= 3, 20_000, 'three batches');
    await first.ssc.stop({ graceful: true });
    const cp = (await readLatestMetadataCheckpoint(checkpoint))!.checkpoint;
    assert.ok(cp.lastGeneratedTime > cp.zeroTime);
    assert.deepEqual(cp.pendingTimes, []);

    await assert.rejects(
      submit({ job: fixture, args: ['graph-b'], conf, checkpointDir: checkpoint, log: quiet }),
      (err: Error) => {
        assert.match(err.message, /cannot recover from the checkpoint .*written by a different job/s);
        assert.match(err.message, /first difference at DStream 1: checkpoint MappedDStream <- \[0\] with fn .*; job now FilteredDStream <- \[0\] with fn /);
        assert.match(err.message, /start fresh with a new \(or emptied\) checkpoint directory/);
        return true;
      },
    );
    // The same operators with another function: the state in the checkpoint was built by the old one.
    await assert.rejects(
      submit({ job: fixture, args: ['graph-a2'], conf, checkpointDir: checkpoint, log: quiet }),
      (err: Error) => {
        assert.match(err.message, /first difference at DStream 1: checkpoint MappedDStream <- \[0\] with fn \(?x\)? ?=> ?x ?\* ?2; job now MappedDStream <- \[0\] with fn \(?x\)? ?=> ?x ?\* ?3/);
        return true;
      },
    );
    // Without --checkpoint (no recovery asked), an old checkpoint is not silently overwritten.
    await assert.rejects(
      submit({ job: fixture, args: ['graph-a'], conf: { ...conf, checkpointDir: checkpoint }, log: quiet }),
      /holds the checkpoint of an earlier run/,
    );

    const lines: string[] = [];
    const again = await start({ job: fixture, args: ['graph-a'], conf, checkpointDir: checkpoint, log: (l) => lines.push(l) });
    await waitFor(() => again.ssc.completedBatches.length >= 2, 20_000, 'batches after recovery');
    await again.ssc.stop({ graceful: true });
    assert.ok(lines.some((l) => /^recovered from .*checkpoint-\d+\.json: reran 0 pending batch\(es\), generated \d+ missed batch\(es\)/.test(l)), lines.join('\n'));
    const times = again.ssc.completedBatches.map((b) => b.batchTime);
    // Batch times continue on the first run's clock: multiples of the batch from its zero time.
    assert.ok(times.every((t) => (t - cp.zeroTime) % 200 === 0 && t > cp.lastGeneratedTime));

    const inspect = execFileSync(process.execPath, [SLUICE, 'checkpoint', 'inspect', checkpoint], { encoding: 'utf8' });
    assert.match(inspect, /format sluice-metadata-checkpoint version 1/);
    assert.match(inspect, /1:MappedDStream/);
    assert.match(inspect, /pending batches \(rerun after a restart\): none/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a full disk (ENOSPC) under the write-ahead log stops the stream with the reason; the last checkpoint stays readable', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-enospc-'));
  const mnt = join(dir, 'small');
  mkdirSync(mnt);
  try {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      t.skip('cannot mount a small tmpfs here (needs root): no full disk to test on');
      return;
    }
    jobs.results.length = 0;
    const conf = { executors: 1, batchDuration: '200ms', blockInterval: '100ms', receiverWriteAheadLog: true };
    const lines: string[] = [];
    const app = await start({ job: fixture, args: ['flood'], conf, checkpointDir: join(mnt, 'ckpt'), log: (l) => lines.push(l) });
    await assert.rejects(app.ssc.awaitTermination(), /the disk is full \(ENOSPC\)/);
    assert.equal(app.ssc.state, 'stopped');
    assert.ok(lines.some((l) => /ENOSPC.*stopping/.test(l)), lines.join('\n'));
    // Whatever the last metadata checkpoint is, it parses (files are only replaced by rename).
    const found = await readLatestMetadataCheckpoint(join(mnt, 'ckpt'));
    if (found) assert.equal(found.skipped.length, 0);
  } finally {
    try {
      execFileSync('umount', [mnt], { stdio: 'ignore' });
    } catch {
      // not mounted
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
