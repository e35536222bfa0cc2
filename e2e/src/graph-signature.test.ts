import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { start, waitFor } from './helpers.js';

// Function sources are as the TypeScript loader emits them (whitespace dropped).

const fixture = fileURLToPath(new URL('../fixtures/graph-mismatch-job.ts', import.meta.url));

for (const [mode, expected] of [
  ['function', /first difference at DStream 1: driver MappedDStream <- \[0\] with fn x=>x\*2; executor MappedDStream <- \[0\] with fn x=>x\*3/],
  ['order', /first difference at DStream 1: driver FilteredDStream <- \[0\] with fn x=>x%2===0; executor MappedDStream <- \[0\] with fn x=>x\+1/],
  ['table', /first difference at parallelize 0: driver LocalCollectionRDD with records [0-9a-f]{16}; executor LocalCollectionRDD with records [0-9a-f]{16}/],
] as const) {
  test(`an executor whose graph differs (${mode}) is refused, naming the first difference; the application does not start`, async () => {
    const lines: string[] = [];
    await assert.rejects(
      start({ job: fixture, args: [mode], conf: { executors: 2, batchDuration: 300 }, log: (l) => lines.push(l) }),
      (err: Error) => {
        assert.match(err.message, /built a different DStream graph than the driver and is refused/);
        assert.match(err.message, expected);
        return true;
      },
    );
    assert.ok(!lines.some((l) => l.includes('replacement executor')), 'no executor is restarted into the same difference');
  });
}

// A JavaScript job keeps its own formatting on the driver, while executors run esbuild's
// bundle of it: the fingerprints are compared with both printed the bundle's way.
const javascriptJob = fileURLToPath(new URL('../fixtures/javascript-job.mjs', import.meta.url));

test('a JavaScript job (.mjs) runs on executors: its functions are compared as code, not as formatted text', async () => {
  const { collected } = (await import(pathToFileURL(javascriptJob).href)) as { collected: [string, number][][] };
  const app = await start({ job: javascriptJob, args: ['same'], conf: { executors: 2, batchDuration: 300 } });
  assert.equal(app.pool.executorIds.length, 2, 'both executors were accepted');
  await waitFor(() => collected.length > 0, 30_000, 'the first batch with words');
  assert.deepEqual(collected[0], [['a', 2], ['b', 4], ['c', 2], ["it's", 2]]);
});

test('a JavaScript job whose executors build another function is still refused', async () => {
  await assert.rejects(start({ job: javascriptJob, args: ['differs'], conf: { executors: 2, batchDuration: 300 } }), (err: Error) => {
    assert.match(err.message, /built a different DStream graph than the driver and is refused/);
    assert.match(err.message, /first difference at DStream 2: driver MappedDStream <- \[1\] with fn word=>pairOf\(word\); executor MappedDStream <- \[1\] with fn word=>\[word,3\]/);
    return true;
  });
});
