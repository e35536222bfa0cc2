import assert from 'node:assert/strict';
import { deserialize, serialize } from 'node:v8';
import { test } from 'node:test';
import '../dstream/dstream-operators.js';
import '../rdd/rdd-operations.js';
import { StreamingContext } from '../context/streaming-context.js';
import { LineageReplayer } from './lineage-replay.js';
import { PartitionCache } from '../storage/partition-cache.js';
import { LocalTaskEnv } from './local-task-env.js';
import type { TaskSpec } from './task-backend.js';
import { runTask } from './task-runner.js';

/**
 * An executor's graph: output 0 counts, then adds the count to every record and collects;
 * output 1 throws before its first action.
 */
async function executorGraph(): Promise<LineageReplayer> {
  const ssc = new StreamingContext({ batchDuration: 1000, blockInterval: 1000, defaultParallelism: 2 }, { mode: 'executor' });
  const numbers = ssc.queueStream<number>([]);
  numbers.foreachRDD(async (rdd) => {
    const n = await rdd.count();
    await rdd.map((x) => x + n).collect();
  });
  numbers.foreachRDD(() => {
    throw new Error('output 1 gave up before acting');
  });
  await ssc.start();
  return new LineageReplayer(ssc.graph);
}

function envFor(spec: TaskSpec): LocalTaskEnv {
  return new LocalTaskEnv(spec, 'x', new PartitionCache({ maxBytes: 0 }));
}

function task(fields: Partial<TaskSpec> & { prior?: unknown[]; slice?: number[] }): TaskSpec {
  const { prior, slice, ...rest } = fields;
  const data = serialize(slice ?? []);
  return {
    batchTime: 1000,
    zeroTime: 0,
    broadcasts: [],
    outputOp: 0,
    actionIndex: 0,
    actionKind: 'count',
    stageRdd: 'd0.0@1000',
    partition: 0,
    shuffleId: '',
    inputsJson: JSON.stringify({ 'd0.0@1000': { numSlices: 2 } }),
    inputPartitions: [
      { rddId: 'd0.0@1000', partition: 0, blocks: [{ blockId: 'b', encoding: 'v8', count: (slice ?? []).length, segments: [data], byteLength: data.length, offsets: null }] },
    ],
    shuffleInputs: [],
    priorActionResults: prior ? serialize(prior) : new Uint8Array(0),
    preferredExecutors: [],
    ...rest,
  };
}

test('the first action of an output is found by position, on the stream RDD the driver named', async () => {
  const replayer = await executorGraph();
  const job = await replayer.find(task({}));
  assert.equal(job.action.kind, 'count');
  assert.equal(job.rdd.id, 'd0.0@1000');
  const out = await runTask(replayer, task({ slice: [4, 5, 6] }), envFor(task({ slice: [4, 5, 6] })));
  assert.equal(deserialize(out.result), 3);
});

test('a later action gets the results of the earlier ones from the task, so the replay takes the driver\'s path', async () => {
  const replayer = await executorGraph();
  const spec = task({ actionIndex: 1, actionKind: 'collect', stageRdd: 'o0.0@1000', prior: [100], slice: [1, 2] });
  const job = await replayer.find(spec);
  assert.equal(job.action.kind, 'collect');
  assert.equal(job.rdd.id, 'o0.0@1000', 'the map made inside the output function');
  const out = await runTask(replayer, spec, envFor(spec));
  assert.deepEqual(deserialize(out.result), [101, 102], 'the count the driver got (100) was used');
});

test('replays are shared by the tasks of one action and dropped when the batch is done', async () => {
  const replayer = await executorGraph();
  const first = replayer.find(task({}));
  assert.equal(replayer.find(task({ partition: 1 })), first);
  replayer.forgetBatch(1000);
  assert.notEqual(replayer.find(task({})), first);
});

test('mismatches between driver and executor are errors that say what differs', async () => {
  const replayer = await executorGraph();
  await assert.rejects(replayer.find(task({ outputOp: 5 })), /output operation 5 does not exist here: the job module built a different graph/);
  await assert.rejects(replayer.find(task({ actionIndex: 4, batchTime: 1000 })), /output operation 0 finished without reaching action 4/);
  await assert.rejects(replayer.find(task({ outputOp: 1, batchTime: 1000 })), /output 1 gave up before acting/);
  await assert.rejects(replayer.find(task({ batchTime: 2000 })), /no input metadata for QueueInputDStream\[0\] at 2000: the driver did not send it/);
  const wrongKind = task({ actionKind: 'reduce', batchTime: 1000 });
  await assert.rejects(
    runTask(replayer, wrongKind, envFor(wrongKind)),
    /different job here \(action 0 is count, the driver ran reduce\)/,
  );
  const wrongRdd = task({ stageRdd: 'd7.0@1000' });
  await assert.rejects(runTask(replayer, wrongRdd, envFor(wrongRdd)), /RDD d7.0@1000 is not in the lineage rebuilt here/);
  const notShuffle = task({ shuffleId: 'd0.0@1000' });
  await assert.rejects(runTask(replayer, notShuffle, envFor(notShuffle)), /RDD d0.0@1000 is not a shuffle/);
});
