import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { submit } from './submit.js';

function jobFile(body: string): { path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-self-start-'));
  const path = join(dir, 'job.mjs');
  writeFileSync(path, `export default async function job(ssc) {\n  ssc.queueStream([[1, 2, 3]]).count().foreachRDD(() => {});\n${body}\n}\n`);
  return { path, dir };
}

test('a job that calls ssc.start() itself is told that sluice submit starts the context', async () => {
  const { path, dir } = jobFile('  await ssc.start();');
  const lines: string[] = [];
  const app = await submit({ job: path, conf: { master: 'local', batchDuration: '100ms', blockInterval: '50ms' }, log: (l) => lines.push(l) });
  try {
    assert.equal(app.ssc.state, 'active');
    assert.ok(lines.some((l) => /called ssc\.start\(\) itself; sluice submit starts the context/.test(l)), lines.join('\n'));
  } finally {
    await app.ssc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a job that leaves the start to sluice submit gets no such message', async () => {
  const { path, dir } = jobFile('');
  const lines: string[] = [];
  const app = await submit({ job: path, conf: { master: 'local', batchDuration: '100ms', blockInterval: '50ms' }, log: (l) => lines.push(l) });
  try {
    assert.equal(app.ssc.state, 'active');
    assert.ok(!lines.some((l) => /itself/.test(l)), lines.join('\n'));
  } finally {
    await app.ssc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
