import assert from 'node:assert/strict';
import { deserialize } from 'node:v8';
import { test } from 'node:test';
import type { StreamingContext } from '../context/streaming-context.js';
import { runLocally } from '../test-support/local-run.js';
import type { TaskSpec } from './task-backend.js';

/** The stages of a run, in the order their tasks were submitted: "stageRdd shuffleId" -> partitions. */
function stages(tasks: TaskSpec[]): { stageRdd: string; shuffleId: string; actionIndex: number; partitions: number[] }[] {
  const out: { stageRdd: string; shuffleId: string; actionIndex: number; partitions: number[] }[] = [];
  for (const t of tasks) {
    const last = out[out.length - 1];
    if (last && last.stageRdd === t.stageRdd && last.shuffleId === t.shuffleId && last.actionIndex === t.actionIndex) last.partitions.push(t.partition);
    else out.push({ stageRdd: t.stageRdd, shuffleId: t.shuffleId, actionIndex: t.actionIndex, partitions: [t.partition] });
  }
  return out;
}

test('a narrow lineage is one result stage: one task per partition, computing the action RDD itself', async () => {
  const ids: string[] = [];
  const { tasks, failures } = await runLocally(
    (ssc: StreamingContext) => {
      ssc
        .queueStream([[1, 2, 3, 4, 5]], { numSlices: 3 })
        .map((n) => n * 2)
        .filter((n) => n > 2)
        .foreachRDD(async (rdd) => {
          ids.push(rdd.id);
          await rdd.collect();
        });
    },
    { batches: 1 },
  );
  assert.deepEqual(failures, []);
  assert.deepEqual(stages(tasks), [{ stageRdd: ids[0], shuffleId: '', actionIndex: 0, partitions: [0, 1, 2] }]);
  for (const t of tasks) {
    assert.deepEqual(t.inputPartitions.map((i) => [i.rddId, i.partition]), [['d0.0@1000', t.partition]], 'each task ships its own input slice');
    assert.deepEqual(t.shuffleInputs, []);
  }
});

test('a shuffle cuts the lineage: map stage over the parent partitions first, then the reduce stage reading one bucket per map task', async () => {
  let shuffledId = '';
  const collected: [string, number][] = [];
  const { tasks, failures } = await runLocally(
    (ssc) => {
      ssc
        .queueStream([['a', 'b', 'a', 'c', 'b', 'a']], { numSlices: 3 })
        .map((w) => [w, 1] as [string, number])
        .reduceByKey((a, b) => a + b, 2)
        .foreachRDD(async (rdd) => {
          shuffledId = rdd.id;
          collected.push(...(await rdd.collect()));
        });
    },
    { batches: 1 },
  );
  assert.deepEqual(failures, []);
  // The DStream's reduceByKey is the RDD its foreachRDD gets; its shuffle id is its own id.
  assert.match(shuffledId, /^d2\.0@1000$/);
  assert.deepEqual(stages(tasks), [
    { stageRdd: shuffledId, shuffleId: shuffledId, actionIndex: 0, partitions: [0, 1, 2] },
    { stageRdd: shuffledId, shuffleId: '', actionIndex: 0, partitions: [0, 1] },
  ]);
  const reduceTasks = tasks.filter((t) => t.shuffleId === '');
  for (const t of reduceTasks) {
    assert.equal(t.inputPartitions.length, 0, 'a reduce task reads no input blocks');
    assert.equal(t.shuffleInputs.length, 1);
    assert.equal(t.shuffleInputs[0]!.shuffleId, shuffledId);
    assert.equal(t.shuffleInputs[0]!.reducePartition, t.partition);
    // Where each map task's output is kept, not the bytes: one location per map task.
    assert.deepEqual(t.shuffleInputs[0]!.maps.map((m) => m.mapPartition), [0, 1, 2], 'one bucket from each map task');
  }
  // The two reduce partitions together hold every key once, combined.
  assert.deepEqual([...collected].sort(), [['a', 3], ['b', 2], ['c', 1]]);
});

test('two shuffles in a row make three stages, parents first; a union of two inputs ships each its own partitions', async () => {
  const rddIds: string[] = [];
  const { tasks, failures } = await runLocally(
    (ssc) => {
      const a = ssc.queueStream([[1, 2, 3, 4]], { numSlices: 2 });
      const b = ssc.queueStream([[10, 20]], { numSlices: 1 });
      a.union(b)
        .map((n) => [n % 3, n] as [number, number])
        .reduceByKey((x, y) => x + y, 2)
        .repartition(4)
        .foreachRDD(async (rdd) => {
          rddIds.push(rdd.id);
          await rdd.count();
        });
    },
    { batches: 1 },
  );
  assert.deepEqual(failures, []);
  const s = stages(tasks);
  assert.equal(s.length, 3);
  const [reduceMap, repartitionMap, result] = s as [(typeof s)[0], (typeof s)[0], (typeof s)[0]];
  assert.deepEqual(reduceMap.partitions, [0, 1, 2], 'the union has 2 + 1 partitions');
  assert.ok(reduceMap.shuffleId.startsWith('d4.'), 'reduceByKey of DStream 4');
  assert.deepEqual(repartitionMap.partitions, [0, 1], 'the reduceByKey has 2 partitions');
  assert.equal(repartitionMap.shuffleId, rddIds[0]);
  assert.deepEqual(result.partitions, [0, 1, 2, 3]);
  assert.equal(result.shuffleId, '');
  const mapTasks = tasks.filter((t) => t.shuffleId === reduceMap.shuffleId);
  assert.deepEqual(
    mapTasks.map((t) => t.inputPartitions.map((i) => `${i.rddId}/${i.partition}`)),
    [['d0.0@1000/0'], ['d0.0@1000/1'], ['d1.0@1000/0']],
  );
});

test('each action of an output function is a job of its own; later ones carry the results of the earlier ones', async () => {
  const seen: unknown[] = [];
  const { tasks, failures } = await runLocally(
    (ssc) => {
      ssc.queueStream([[5, 1, 4]], { numSlices: 2 }).foreachRDD(async (rdd) => {
        const n = await rdd.count();
        const max = await rdd.reduce((a, b) => Math.max(a, b));
        seen.push(await rdd.map((x) => x * n + max).collect());
      });
    },
    { batches: 1 },
  );
  assert.deepEqual(failures, []);
  assert.deepEqual(seen, [[20, 8, 17]]);
  assert.deepEqual(tasks.map((t) => [t.actionIndex, t.actionKind]), [[0, 'count'], [0, 'count'], [1, 'reduce'], [1, 'reduce'], [2, 'collect'], [2, 'collect']]);
  assert.equal(tasks[0]!.priorActionResults.length, 0);
  assert.deepEqual(deserialize(tasks[2]!.priorActionResults), [3]);
  assert.deepEqual(deserialize(tasks[4]!.priorActionResults), [3, 5]);
});

test('a failed map stage fails the job before its reduce stage runs', async () => {
  const { tasks, failures } = await runLocally(
    (ssc) => {
      ssc
        .queueStream([[1, 2, 3]], { numSlices: 3 })
        .map((n) => {
          if (n === 2) throw new Error('map side fails');
          return [n, n] as [number, number];
        })
        .reduceByKey((a, b) => a + b, 2)
        .foreachRDD(async (rdd) => {
          await rdd.collect();
        });
    },
    { batches: 1 },
  );
  assert.equal(failures.length, 1);
  assert.match(failures[0]!, /map side fails/);
  assert.ok(tasks.every((t) => t.shuffleId !== ''), 'no reduce task was submitted');
});

test('a window ships the input blocks of its newest batch only: the batches it read before are cached where its tasks run', async () => {
  const windows: number[][] = [];
  const { tasks, failures } = await runLocally(
    (ssc: StreamingContext) => {
      ssc
        .queueStream([[1, 2], [3, 4], [5, 6], [7, 8]], { numSlices: 2 })
        .window(3000)
        .foreachRDD(async (rdd) => {
          windows.push((await rdd.collect()).sort((a, b) => a - b));
        });
    },
    { batches: 4 },
  );
  assert.deepEqual(failures, []);
  assert.deepEqual(windows, [[1, 2], [1, 2, 3, 4], [1, 2, 3, 4, 5, 6], [3, 4, 5, 6, 7, 8]]);
  // Batch 4's window reads batches 2, 3 (cached by the earlier windows) and 4 (new).
  const shipped = tasks.filter((t) => t.batchTime === 4000).flatMap((t) => t.inputPartitions.map((i) => i.rddId));
  assert.deepEqual([...new Set(shipped)], ['d0.0@4000']);
});
