import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveConf } from '../context/conf.js';
import { assertWritableDir } from './durable-file.js';
import { encodeSignature, functionSource, type SignatureEntry } from '../dstream/graph-signature.js';
import { assertCompatibleGraph } from './graph-compatibility.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, metadataDir, readLatestMetadataCheckpoint, writeMetadataCheckpoint, type MetadataCheckpoint } from './metadata-checkpoint.js';

function checkpointAt(time: number, streams = ['0:ReceiverInputDStream(x)', '1:MappedDStream', '2:ForEachDStream']): MetadataCheckpoint {
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    writtenAt: time,
    appName: 'test',
    conf: resolveConf({}),
    graph: { signature: streams.join(','), streams, outputs: ['foreachRDD'] },
    zeroTime: 1000,
    batchDurationMs: 1000,
    lastGeneratedTime: time,
    pendingTimes: [time],
    completedUpTo: time - 1000,
    batches: [{ time, inputs: { 0: [] } }],
    inputs: {},
    dataCheckpoints: [],
  };
}

test('the newest metadata checkpoint is read back; only the newest three files are kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-meta-'));
  try {
    for (let t = 2000; t <= 6000; t += 1000) await writeMetadataCheckpoint(dir, checkpointAt(t));
    assert.equal(readdirSync(metadataDir(dir)).length, 3);
    const found = await readLatestMetadataCheckpoint(dir);
    assert.equal(found!.checkpoint.lastGeneratedTime, 6000);
    assert.deepEqual(found!.skipped, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreadable newest file falls back to the previous one and says so; another version is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-meta-'));
  try {
    await writeMetadataCheckpoint(dir, checkpointAt(2000));
    writeFileSync(join(metadataDir(dir), 'checkpoint-000000000003000.json'), '{"format":"sluice-metadata-chec');
    const found = await readLatestMetadataCheckpoint(dir);
    assert.equal(found!.checkpoint.lastGeneratedTime, 2000);
    assert.match(found!.skipped[0]!, /checkpoint-000000000003000\.json/);
    writeFileSync(join(metadataDir(dir), 'checkpoint-000000000004000.json'), JSON.stringify({ ...checkpointAt(4000), version: 99 }));
    await assert.rejects(readLatestMetadataCheckpoint(dir), /format version 99; this Sluice reads version 1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a checkpoint of another graph or batch duration is refused, naming what differs and what to do', () => {
  const cp = checkpointAt(2000);
  const same = { signature: cp.graph.signature, streams: cp.graph.streams, batchDurationMs: 1000 };
  assert.doesNotThrow(() => assertCompatibleGraph(cp, same, 'f'));
  const streams = ['0:ReceiverInputDStream(x)', '1:FilteredDStream', '2:ForEachDStream', '3:ForEachDStream'];
  assert.throws(
    () => assertCompatibleGraph(cp, { signature: streams.join(','), streams, batchDurationMs: 500 }, 'f'),
    (err: Error) => {
      assert.match(err.message, /written by a different job/);
      assert.match(err.message, /batch duration: 1000 ms in the checkpoint, 500 ms now/);
      assert.match(err.message, /3 streams then, 4 now\): stream 1 was 1:MappedDStream, is now 1:FilteredDStream/);
      assert.match(err.message, /start fresh with a new \(or emptied\) checkpoint directory/);
      return true;
    },
  );
});

test('recovery compares the graph fingerprint: a changed operator function is refused, a changed table or formatting is not', () => {
  const fingerprint = (mapper: (x: number) => number, table: string): string => {
    const entries: SignatureEntry[] = [
      { at: 'DStream 0', op: 'ReceiverInputDStream <- []', detail: [] },
      { at: 'DStream 1', op: 'MappedDStream <- [0]', detail: [functionSource(mapper)] },
      { at: 'DStream 2', op: 'ForEachDStream <- [1]', detail: [] },
      { at: 'parallelize 0', op: 'ParallelCollectionRDD', detail: [`records ${table}`] },
    ];
    return encodeSignature(entries);
  };
  const streams = ['0:ReceiverInputDStream(x)', '1:MappedDStream', '2:ForEachDStream'];
  const cp = checkpointAt(2000, streams);
  cp.graph.signature = fingerprint((x) => x * 2, 'aaaa');
  // Formatting and the parallelize() table may change.
  // prettier-ignore
  const reformatted = fingerprint((x) =>   x * 2, 'bbbb');
  assert.doesNotThrow(() => assertCompatibleGraph(cp, { signature: reformatted, streams, batchDurationMs: 1000 }, 'f'));
  // The same operators with another function: refused, naming the stream and both functions.
  assert.throws(
    () => assertCompatibleGraph(cp, { signature: fingerprint((x) => x * 3, 'aaaa'), streams, batchDurationMs: 1000 }, 'f'),
    (err: Error) => {
      assert.match(err.message, /written by a different job/);
      assert.match(err.message, /first difference at DStream 1: checkpoint MappedDStream <- \[0\] with fn \(?x\)? ?=> ?x ?\* ?2; job now MappedDStream <- \[0\] with fn \(?x\)? ?=> ?x ?\* ?3/);
      assert.match(err.message, /same operator functions and parameters/);
      return true;
    },
  );
});

test('a checkpoint directory that cannot be made is refused with the reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-meta-'));
  try {
    writeFileSync(join(dir, 'a-file'), 'x');
    await assert.rejects(assertWritableDir(join(dir, 'a-file', 'checkpoint')), /checkpoint directory .*a-file\/checkpoint is not usable: .*ENOTDIR|not a directory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
