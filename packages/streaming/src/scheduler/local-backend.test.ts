import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { StreamingContext } from '../context/streaming-context.js';
import { parseMaster, resolveConf } from '../context/conf.js';
import type { StreamingConfInput } from '../context/conf.js';
import * as moduleStateJob from '../test-support/fixtures/module-state-job.js';
import { runLocally } from '../test-support/local-run.js';
import { ManualClock } from '../util/clock.js';
import { LocalBackend } from './local-backend.js';

test('master: local is 1 core, local[N] is N, local[*] is the machine; anything else names the forms', () => {
  assert.deepEqual(parseMaster('local'), { kind: 'local', cores: 1 });
  assert.deepEqual(parseMaster('local[3]'), { kind: 'local', cores: 3 });
  assert.equal(parseMaster('local[*]').kind, 'local');
  assert.deepEqual(parseMaster('executors'), { kind: 'executors' });
  for (const bad of ['local[0]', 'local[]', 'local[2', 'yarn', 'local[1.5]']) {
    assert.throws(() => parseMaster(bad), /invalid master .*local\[N\]/, bad);
  }
  assert.throws(() => resolveConf({ master: 'spark://x:7077' }), /invalid master "spark:\/\/x:7077"/);
  assert.equal(resolveConf({ master: 'local[3]' }).defaultParallelism, 3, 'local[N] shuffles into N partitions');
  assert.equal(resolveConf({ master: 'local[3]', defaultParallelism: 5 }).defaultParallelism, 5);
  assert.equal(resolveConf({}).master, 'executors', 'executor processes stay the default');
});

test('master: k8s:// names the Kubernetes API server, https unless told otherwise, as spark-submit reads it', () => {
  assert.deepEqual(parseMaster('k8s://https://10.0.0.1:6443'), { kind: 'k8s', apiServer: 'https://10.0.0.1:6443' });
  assert.deepEqual(parseMaster('k8s://api.example.com:443'), { kind: 'k8s', apiServer: 'https://api.example.com' });
  assert.deepEqual(parseMaster('k8s://http://127.0.0.1:8080'), { kind: 'k8s', apiServer: 'http://127.0.0.1:8080' });
  for (const bad of ['k8s://', 'k8s://https://h:1/some/path', 'k8s://https://']) {
    assert.throws(() => parseMaster(bad), /invalid master .*k8s:\/\/https:\/\/HOST:PORT/, bad);
  }
});

test('a job runs in local mode on a manual clock: batch times are multiples of the batch duration, results exact', async () => {
  const out: { time: number; counts: [string, number][] }[] = [];
  const queue = [['a', 'b', 'a'], [], ['c', 'a', 'c', 'c']];
  const { failures, tasks } = await runLocally(
    (ssc) => {
      ssc
        .queueStream([...queue], { numSlices: 2 })
        .map((w) => [w, 1] as [string, number])
        .reduceByKey((a, b) => a + b, 2)
        .foreachRDD(async (rdd, time) => {
          out.push({ time, counts: (await rdd.collect()).sort() });
        });
    },
    { batches: 3, batchMs: 500 },
  );
  assert.deepEqual(failures, []);
  assert.deepEqual(out, [
    { time: 500, counts: [['a', 2], ['b', 1]] },
    { time: 1000, counts: [] },
    { time: 1500, counts: [['a', 1], ['c', 3]] },
  ]);
  assert.ok(tasks.every((t) => t.batchTime % 500 === 0));
});

test('tasks are found by lineage replay on a graph built by running the job function again', async () => {
  const contexts: StreamingContext[] = [];
  const seenBy = new Set<string>();
  const { failures } = await runLocally(
    (ssc) => {
      contexts.push(ssc);
      ssc
        .queueStream([[1, 2, 3]], { numSlices: 1 })
        .mapPartitions((items) => {
          seenBy.add('task');
          return items;
        })
        .foreachRDD(async (rdd) => {
          seenBy.add(`${rdd.id} on ${contexts.length}`);
          await rdd.count();
        });
    },
    { batches: 1 },
  );
  assert.deepEqual(failures, []);
  assert.equal(contexts.length, 2, 'the job function ran for the driver and for the tasks');
  assert.deepEqual(contexts.map((c) => c.mode), ['driver', 'executor']);
  assert.ok(seenBy.has('task'));
});

test('a job whose graph differs when it runs again is refused at start, saying both graphs', async () => {
  let runs = 0;
  const job = (ssc: StreamingContext) => {
    runs++;
    let s = ssc.queueStream<number>([]);
    if (runs > 1) s = s.map((n) => n + 1);
    s.foreachRDD(() => {});
  };
  const ssc = new StreamingContext({ batchDuration: 100, blockInterval: 100 }, { backend: new LocalBackend({ cores: 1, job }), clock: new ManualClock(), log: () => {} });
  job(ssc);
  await assert.rejects(ssc.start(), /different DStream graph.*first difference at DStream 1: driver ForEachDStream <- \[0\] with fn \(\)=>\{\}; again MappedDStream <- \[0\] with fn n=>n\+1/);
  assert.equal(ssc.state, 'stopped');
});

test('the job module is loaded afresh for tasks: module state the driver changes is not seen, as on executors', async () => {
  moduleStateJob.queue.push([1, 2, 3]);
  moduleStateJob.results.length = 0;
  moduleStateJob.settings.factor = 1;
  const jobModule = fileURLToPath(new URL('../test-support/fixtures/module-state-job.ts', import.meta.url));
  const { failures } = await runLocally(
    (ssc) => {
      moduleStateJob.default(ssc);
      // The driver changes the setting after building the graph: executors keep 1.
      moduleStateJob.settings.factor = 10;
    },
    { batches: 1, jobModule },
  );
  assert.deepEqual(failures, []);
  assert.deepEqual(moduleStateJob.results, [[1, 2, 3]]);
});

test('a throwing user function fails its output operation with message, stack and executor "driver"; the next batch runs', async () => {
  const failuresSeen: { message: string; executorId: string; partition: number }[] = [];
  const results: number[][] = [];
  const job = (ssc: StreamingContext) => {
    ssc
      .queueStream([[1, 2], [3, 13, 4], [5]], { numSlices: 2 })
      .map((n) => {
        if (n === 13) throw new RangeError('unlucky record 13');
        return n;
      })
      .foreachRDD(async (rdd) => {
        results.push(await rdd.collect());
      });
    ssc.addStreamingListener({
      onOutputOperationCompleted: ({ outputOperationInfo: op }) => {
        if (op.failure) failuresSeen.push({ message: op.failure.message, executorId: op.failure.executorId, partition: op.failure.partition });
      },
    });
  };
  const { failures } = await runLocally(job, { batches: 3 });
  assert.equal(failures.length, 1);
  assert.match(failures[0]!, /batch 2000 op 0: RangeError: unlucky record 13/);
  assert.match(failures[0]!, /local-backend\.test\.ts/, 'the stack points at the user function');
  assert.deepEqual(failuresSeen, [{ message: 'RangeError: unlucky record 13', executorId: 'driver', partition: 1 }]);
  assert.deepEqual(results, [[1, 2], [5]]);
});

test('a record that cannot cross a process boundary fails in local mode too', async () => {
  const { failures } = await runLocally(
    (ssc) => {
      ssc
        .queueStream([[1]], { numSlices: 1 })
        .map((n) => ({ n, callback: () => n }))
        .foreachRDD(async (rdd) => {
          await rdd.collect();
        });
    },
    { batches: 1 },
  );
  assert.equal(failures.length, 1);
  assert.match(failures[0]!, /could not be cloned/);
});

for (const cores of [1, 3]) {
  test(`local[${cores}] runs at most ${cores} task(s) at a time`, async () => {
    let running = 0;
    let peak = 0;
    const conf: StreamingConfInput = { defaultParallelism: 6 };
    const { failures, tasks } = await runLocally(
      (ssc) => {
        ssc
          .queueStream([[1, 2, 3, 4, 5, 6]], { numSlices: 6 })
          .mapPartitions(async (items) => {
            running++;
            peak = Math.max(peak, running);
            await new Promise((r) => setTimeout(r, 5));
            running--;
            return items;
          })
          .foreachRDD(async (rdd) => {
            await rdd.count();
          });
      },
      { batches: 1, cores, conf },
    );
    assert.deepEqual(failures, []);
    assert.equal(tasks.length, 6);
    assert.equal(peak, cores);
  });
}

test('a persisted RDD read by two actions is computed once per partition in local mode too', async () => {
  let computed = 0;
  const { failures } = await runLocally(
    (ssc) => {
      ssc.queueStream([[1, 2, 3, 4]], { numSlices: 2 }).foreachRDD(async (rdd) => {
        const doubled = rdd
          .map((n) => {
            computed++;
            return n * 2;
          })
          .cache();
        await doubled.count();
        await doubled.collect();
      });
    },
    { batches: 1 },
  );
  assert.deepEqual(failures, []);
  assert.equal(computed, 4, 'each record was mapped once: the second action read the kept partitions');
});
