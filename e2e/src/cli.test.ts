import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { start } from './helpers.js';

const sluice = fileURLToPath(new URL('../../packages/cli/bin/sluice.mjs', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

function run(args: string[]) {
  return spawnSync(process.execPath, [sluice, ...args], { encoding: 'utf8', timeout: 60_000 });
}

test('sluice submit --help documents the options and exits 0', () => {
  const r = run(['submit', '--help']);
  assert.equal(r.status, 0);
  for (const option of ['--master', '--executors', '--executor-cores', '--batch-duration', '--block-interval', '--run-for']) {
    assert.match(r.stdout, new RegExp(option));
  }
});

test('sluice submit reports a missing job file and an unknown option clearly, as mistakes on the command line (status 2)', () => {
  const missing = run(['submit', 'no/such/job.ts']);
  assert.equal(missing.status, 2, missing.stderr);
  assert.match(missing.stderr, /^sluice: job file not found: no\/such\/job\.ts \(there is no \/.*\/no\/such\/job\.ts\)\n\(sluice submit --help lists the options\)\n$/);
  const directory = run(['submit', fileURLToPath(new URL('../fixtures', import.meta.url))]);
  assert.equal(directory.status, 2, directory.stderr);
  assert.match(directory.stderr, /the job file .*fixtures is a directory, not a file/);
  // tune would otherwise run its whole grid of trials, each failing on the missing file.
  const tune = run(['tune', '--budget', '20s', 'no/such/job.ts']);
  assert.equal(tune.status, 2, tune.stderr);
  assert.match(tune.stderr, /^sluice tune: job file not found: no\/such\/job\.ts/);
  const unknown = run(['submit', '--exectors', '2', 'job.ts']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown option --exectors/);
});

test('sluice submit says which setting holds a --driver-port that another process uses', async () => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as AddressInfo).port;
  try {
    const r = run(['submit', '--driver-port', String(port), '--no-ui', fixture('print-queue-job.ts')]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`cannot listen for executors on 127\\.0\\.0\\.1:${port}: the port is in use \\(driverPort, --driver-port ${port}\\)`));
  } finally {
    busy.close();
  }
});

test('a TypeScript job file where Node takes .ts for CommonJS gets the cause and the cure', () => {
  // A directory with no package.json above it saying "type": "module", as a user's own might be.
  const dir = mkdtempSync(join(tmpdir(), 'sluice-cjs-job-'));
  try {
    const job = join(dir, 'wordcount.ts');
    writeFileSync(job, "export default function job(ssc: any) {\n  ssc.queueStream([]).print();\n}\n");
    // --run-for: should a Node version load it after all, the test fails on the status instead of hanging.
    const r = run(['submit', '--no-ui', '--run-for', '1s', job]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /wordcount\.ts was loaded as CommonJS: no package\.json above it says "type": "module"\. Put a package\.json with \{"type": "module"\} beside it, name it \.mts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sluice submit runs a job on executors and stops by itself with --run-for', () => {
  const r = run(['submit', '--run-for', '2500ms', '--batch-duration', '500ms', fixture('broken-on-executors-job.ts').replace('broken-on-executors-job', 'print-queue-job')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /-------------------------------------------\nTime: \d+ ms\n-------------------------------------------\n1\n2\n3\n/);
});

test('a JavaScript job with comments in its operator functions runs on executors (they get it without comments)', () => {
  const r = run(['submit', '--run-for', '2500ms', '--batch-duration', '500ms', '--no-ui', fixture('commented-javascript-job.mjs')]);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /different DStream graph/);
  // `//` and `/* */` inside strings, a template literal and a regular expression are code: they count.
  const counts = JSON.parse(/^counts: (.*)$/m.exec(r.stdout)?.[1] ?? 'null') as unknown;
  assert.deepEqual(counts, [
    ['b', 1],
    ['http://example.com/a', 1],
    ['links 0 // in a template literal', 2],
    ['links 1 // in a template literal', 1],
    ['ratio 0.375', 1],
    ['see', 1],
    ['x', 1],
    ['y', 1],
    ['z', 1],
  ]);
});

test('a run whose batch failed exits 1 and says how many batches failed in its last line', () => {
  const r = run(['submit', '--run-for', '2500ms', '--batch-duration', '500ms', '--conf', 'taskMaxFailures=1', fixture('failing-batch-job.ts')]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /five is not allowed/);
  // The task's stack names the sources: the user's function in the job file (not the
  // executor's cached bundle of it), the engine's frames in src/*.ts (not dist/*.js).
  assert.match(r.stderr, /\n {8}at .*\/e2e\/fixtures\/failing-batch-job\.ts:8:\d+\)?\n/);
  assert.match(r.stderr, /at MapPartitionsRDD\.\w+ \(.*\/packages\/streaming\/src\/rdd\/[\w-]+\.ts:\d+:\d+\)/);
  // (Only stack frames: an executor that has just cached the bundle names its file in its log.)
  assert.doesNotMatch(r.stderr, /\n\s+at .*(\.cache\/sluice\/jobs\/|\/dist\/rdd\/)/);
  assert.match(lastLine(r.stderr), /^sluice: stopped after \d+ batches, 1 failed$/);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} to the driver's process group (Ctrl-C in a terminal) stops gracefully, without replacing executors`, { timeout: 180_000 }, async () => {
    // A process group of its own, as a shell gives a foreground job: the signal goes to the whole group.
    const child = spawn(process.execPath, [sluice, 'submit', '--batch-duration', '300ms', '--no-ui', fixture('print-queue-job.ts')], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdout.resume();
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    // Generous: a loaded machine takes long to start node processes.
    const deadline = Date.now() + 90_000;
    while (!/sluice: started .* 2 executor\(s\)/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.match(stderr, /sluice: started/);
    // A batch or two goes through first, so executors are busy as they would be.
    await new Promise((r) => setTimeout(r, 700));
    process.kill(-child.pid!, signal);
    const [code] = await exited;
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /lost executor|replacement executor|killed by SIG/);
    assert.match(stderr, new RegExp(`sluice: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}; stopping gracefully`));
    assert.match(lastLine(stderr), /^sluice: stopped after \d+ batches, none failed$/);
  });
}

test('sluice submit --master local[2] runs the job in its own process, through the same scheduler', () => {
  const r = run(['submit', '--master', 'local[2]', '--run-for', '1500ms', '--batch-duration', '500ms', fixture('print-queue-job.ts')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /started sluice-app: local mode \(2 core\(s\) in this process\)/);
  assert.doesNotMatch(r.stderr, /executors connect to/);
  assert.match(r.stdout, /-------------------------------------------\nTime: \d+ ms\n-------------------------------------------\n1\n2\n3\n/);
  const bad = run(['submit', '--master', 'local[two]', fixture('print-queue-job.ts')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /invalid master "local\[two\]": use executors .*local\[N\] \(N cores\)/);
});

test('a job module that cannot load on executors fails the application once, with the reason', async () => {
  const lines: string[] = [];
  await assert.rejects(
    start({ job: fixture('broken-on-executors-job.ts'), conf: { executors: 2 }, log: (l) => lines.push(l) }),
    /could not load the job module .*settings file \/nonexistent\/settings\.json is missing/s,
  );
  const reports = lines.filter((l) => l.includes('settings file /nonexistent/settings.json is missing'));
  assert.ok(reports.length <= 2, `reported ${reports.length} times`);
  assert.ok(!lines.some((l) => l.includes('replacement executor')), 'no executor is restarted into the same error');
});

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}
