import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { start } from './helpers.js';

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
