import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import '../dstream/dstream-operators.js';
import { resolveConf } from '../context/conf.js';
import { DStreamGraph } from '../dstream/dstream-graph.js';
import { QueueInputDStream } from '../dstream/queue-input-dstream.js';
import { metadataDir, type MetadataCheckpoint } from './metadata-checkpoint.js';
import { MetadataCheckpointer } from './metadata-checkpointer.js';

/** An input whose batches can (or cannot) be read again after a restart, as a Kafka range or a logged block can. */
class RecordedInput extends QueueInputDStream<number> {
  replayable = false;
  override checkpointBatch(time: number): unknown {
    return { time };
  }
  override isReplayable(): boolean {
    return this.replayable;
  }
}

function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-metadata-writer-'));
  const conf = resolveConf({ batchDuration: 1000 });
  const graph = new DStreamGraph('driver', 1000);
  const input = new RecordedInput(graph, [], {}, 1);
  input.foreachRDD(() => {});
  graph.freeze();
  graph.setZeroTime(0);
  const fatal: string[] = [];
  const checkpointer = new MetadataCheckpointer(dir, graph, conf, (m) => fatal.push(m));
  const newest = (): MetadataCheckpoint => {
    const files = readdirSync(metadataDir(dir)).filter((f) => f.endsWith('.json')).sort();
    return JSON.parse(readFileSync(join(metadataDir(dir), files[files.length - 1]!), 'utf8')) as MetadataCheckpoint;
  };
  return { dir, input, checkpointer, newest, fatal, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test("a batch whose inputs can be read again waits for its generation write; one whose inputs cannot doesn't", async () => {
  const { input, checkpointer, newest, fatal, done } = setUp();
  try {
    input.replayable = true;
    await checkpointer.batchGenerated(1000);
    // On disk when the jobs are let go: a restart reruns this batch with these inputs.
    assert.deepEqual(newest().pendingTimes, [1000]);
    assert.equal(checkpointer.stats.writes, 1);
    input.replayable = false;
    await checkpointer.batchGenerated(2000);
    // Let go before its write ended: nothing a restart could read again depends on it.
    assert.equal(checkpointer.stats.writes, 1);
    await checkpointer.flush();
    assert.equal(checkpointer.stats.writes, 2);
    assert.deepEqual(newest().pendingTimes, [1000, 2000]);
    assert.deepEqual(fatal, []);
  } finally {
    done();
  }
});

test('a completion is written by the next generation write, or by flush(); never on its own at once', async () => {
  const { input, checkpointer, newest, done } = setUp();
  try {
    input.replayable = true;
    await checkpointer.batchGenerated(1000);
    checkpointer.batchCompleted(1000);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(checkpointer.stats.writes, 1);
    await checkpointer.batchGenerated(2000);
    assert.equal(checkpointer.stats.writes, 2);
    const cp = newest();
    assert.deepEqual(cp.pendingTimes, [2000]);
    assert.equal(cp.completedUpTo, 1000);
    checkpointer.batchCompleted(2000);
    await checkpointer.flush();
    assert.equal(checkpointer.stats.writes, 3);
    assert.deepEqual(newest().pendingTimes, []);
    assert.equal(newest().completedUpTo, 2000);
  } finally {
    done();
  }
});

test('a completion that no generation follows is written by itself after a batch duration', async () => {
  const { input, checkpointer, newest, done } = setUp();
  try {
    input.replayable = true;
    await checkpointer.batchGenerated(1000);
    checkpointer.batchCompleted(1000);
    await new Promise((r) => setTimeout(r, 1500));
    // Written by the timer, not by flush() (which finds nothing left to write).
    assert.equal(checkpointer.stats.writes, 2);
    await checkpointer.flush();
    assert.equal(checkpointer.stats.writes, 2);
    assert.deepEqual(newest().pendingTimes, []);
  } finally {
    done();
  }
});
