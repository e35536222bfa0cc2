import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { serialize } from 'node:v8';
import type { ShippedBlock } from '../rdd/task-env.js';
import { logDir, ReceivedBlockLog } from './received-block-log.js';

function valuesBlock(id: string, values: unknown[]): ShippedBlock {
  const data = serialize(values);
  return { blockId: id, encoding: 'v8', count: values.length, segments: [data], byteLength: data.length, offsets: null };
}

test('blocks appended to the log are read back after a reopen, in order, with their sequence numbers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-wal-'));
  try {
    const { log } = await ReceivedBlockLog.open(dir, 3, 60_000);
    const refs = [];
    for (let i = 0; i < 3; i++) refs.push(await log.append(valuesBlock(`b${i}`, [`r${i}a`, `r${i}b`])));
    assert.deepEqual(refs.map((r) => r.seq), [0, 1, 2]);
    const frames: ShippedBlock = {
      blockId: 'f',
      encoding: 'frames',
      count: 2,
      segments: [Buffer.from('hello'), Buffer.from('world')],
      byteLength: 10,
      offsets: Uint32Array.from([0, 5, 5, 10]),
    };
    const fref = await log.append(frames);
    const back = await log.read(fref);
    assert.equal(Buffer.concat(back.segments!).toString(), 'helloworld');
    assert.deepEqual([...back.offsets!], [0, 5, 5, 10]);
    await log.close();
    const again = await ReceivedBlockLog.open(dir, 3, 60_000);
    assert.deepEqual(again.blocks.map((b) => b.block.blockId), ['b0', 'b1', 'b2', 'f']);
    assert.deepEqual(again.problems, []);
    assert.equal(again.log.nextSeq, 4);
    await again.log.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a torn last record (a crash in the middle of a write) is skipped and reported; the rest is read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-wal-'));
  try {
    const { log } = await ReceivedBlockLog.open(dir, 0, 60_000);
    await log.append(valuesBlock('ok1', [1]));
    await log.append(valuesBlock('ok2', [2]));
    await log.close();
    const file = join(logDir(dir, 0), readdirSync(logDir(dir, 0))[0]!);
    // A header that promises more bytes than follow, as a write cut short leaves it.
    const torn = Buffer.alloc(20);
    torn.writeUInt32BE(0x53574c31, 0);
    torn.writeUInt32BE(1000, 4);
    appendFileSync(file, torn);
    const again = await ReceivedBlockLog.open(dir, 0, 60_000);
    assert.deepEqual(again.blocks.map((b) => b.block.blockId), ['ok1', 'ok2']);
    assert.equal(again.problems.length, 1);
    assert.match(again.problems[0]!, /torn or corrupt record/);
    await again.log.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the log rolls to a new file each rolling interval and cleaning deletes files of finished blocks only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-wal-'));
  try {
    const { log } = await ReceivedBlockLog.open(dir, 1, 0);
    for (let i = 0; i < 4; i++) await log.append(valuesBlock(`b${i}`, [i]));
    assert.equal(readdirSync(logDir(dir, 1)).length, 4);
    assert.equal(await log.cleanUpTo(1), 2);
    assert.deepEqual(readdirSync(logDir(dir, 1)).sort(), ['log-000000000002', 'log-000000000003']);
    // The file being written is never deleted.
    assert.equal(await log.cleanUpTo(10), 1);
    assert.deepEqual(readdirSync(logDir(dir, 1)), ['log-000000000003']);
    await log.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
