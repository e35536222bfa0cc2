import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readPartitionFile, rddDirName, writePartitionFile } from './checkpoint-files.js';
import { defaultCheckpointIntervalMs } from './checkpointer.js';

test("the default interval is Spark's: the smallest multiple of the slide that is at least 10 s", () => {
  assert.equal(defaultCheckpointIntervalMs(1000), 10_000);
  assert.equal(defaultCheckpointIntervalMs(400), 10_000);
  assert.equal(defaultCheckpointIntervalMs(3000), 12_000);
  assert.equal(defaultCheckpointIntervalMs(15_000), 15_000);
});

test('a partition file is written whole under its final name (nothing temporary is left)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-ckpt-'));
  try {
    await writePartitionFile(dir, 'd3.1@1000', 2, new Uint8Array([1, 2, 3]));
    await writePartitionFile(dir, 'd3.1@1000', 2, new Uint8Array([4, 5]));
    assert.deepEqual([...(await readPartitionFile(dir, 'd3.1@1000', 2))], [4, 5]);
    assert.deepEqual(readdirSync(join(dir, rddDirName('d3.1@1000'))), ['part-00002']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a checkpoint directory this host cannot see gets an error that says what to do', async () => {
  const dir = join(tmpdir(), 'sluice-no-such-checkpoint-dir');
  assert.equal(existsSync(dir), false);
  await assert.rejects(writePartitionFile(dir, 'd1.0@1', 0, new Uint8Array(1)), /does not exist on host .*need a directory they share with the driver; set it with ssc\.checkpoint\(dir\)/);
  await assert.rejects(readPartitionFile(dir, 'd1.0@1', 0), /does not exist on host/);
});

test('a file that is not a checkpoint partition, or of another format version, is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-ckpt-'));
  try {
    await writePartitionFile(dir, 'd1.0@1', 0, new Uint8Array([9]));
    const file = join(dir, rddDirName('d1.0@1'), 'part-00000');
    const good = readFileSync(file);
    writeFileSync(file, 'hello');
    await assert.rejects(readPartitionFile(dir, 'd1.0@1', 0), /is not a Sluice checkpoint partition file/);
    const future = Buffer.from(good);
    future.writeUInt32BE(99, future.length - 5);
    writeFileSync(file, future);
    await assert.rejects(readPartitionFile(dir, 'd1.0@1', 0), /is in checkpoint format 99; this version of Sluice reads format 1/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a missing partition file in an existing directory is reported as an incomplete checkpoint', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-ckpt-'));
  try {
    await assert.rejects(readPartitionFile(dir, 'd1.0@1', 3), /checkpoint file .*part-00003 is missing/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
