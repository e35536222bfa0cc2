#!/usr/bin/env node
// Runs the project's tests with Node's own test runner (TypeScript through tsx).
//
//   node tools/test/run-tests.mjs [--kafka] [--no-build] [dir-or-file ...]
//
// With no paths it runs every *.test.ts in the workspace: that is `npm test`.
// First it builds what is not built yet (`nx run-many -t build`, from Nx's cache when
// nothing changed; --no-build skips it, as the Nx test targets do, which depend on the
// build). The test files themselves run from the sources: node gets the `sluice-source`
// export condition, so a test that imports `../src/x.js` and `@sluice/streaming` loads one
// copy of each module. The programs the tests start (sluice, sluice-classify, executors
// started by those) run the built JavaScript in dist/, as users run them; executors that a
// test's own driver starts run from the sources like it (see packages/executor's
// build-mode.ts).
// With --kafka (implied for the whole suite) it makes sure a Kafka broker is there:
// KAFKA_BROKERS if set, otherwise a local broker started from tools/kafka and stopped
// at the end. Test files run one at a time: they start executor processes of their own
// and the machines this runs on have few cores.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildAll } from '../build/build-all.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const wantKafka = args.includes('--kafka') || args.every((a) => a.startsWith('--'));
const wantBuild = !args.includes('--no-build');
const paths = args.filter((a) => !a.startsWith('--'));
const searchRoots = paths.length
  ? paths.map((p) => resolve(p))
  : ['packages', 'apps', 'tools', 'e2e'].map((d) => join(root, d));

function findTests(path, out) {
  if (!existsSync(path)) return out;
  const st = statSync(path);
  if (st.isFile()) {
    if (path.endsWith('.test.ts')) out.push(path);
    return out;
  }
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    findTests(join(path, entry), out);
  }
  return out;
}

const files = searchRoots.flatMap((p) => findTests(p, [])).sort();
if (files.length === 0) {
  console.log('no test files found under', searchRoots.map((p) => relative(root, p)).join(', '));
  console.log('0 passed, 0 failed');
  process.exit(0);
}

if (wantBuild) {
  const status = buildAll(root);
  if (status !== 0) {
    console.log('the build failed: no tests run');
    process.exit(status);
  }
}

let broker;
const env = { ...process.env };
if (wantKafka && !env.KAFKA_BROKERS) {
  const brokerModule = join(root, 'tools/kafka/src/broker.ts');
  if (existsSync(brokerModule)) {
    const { useSources } = await import('@sluice/protocol/load-entry');
    await useSources();
    const { startLocalBroker } = await import(pathToFileURL(brokerModule).href);
    broker = await startLocalBroker({ log: (line) => console.log(`[kafka] ${line}`) });
    console.log(`[kafka] test broker at ${broker.brokers}`);
    env.KAFKA_BROKERS = broker.brokers;
  }
}

const nodeArgs = [
  '--conditions=sluice-source',
  '--import', 'tsx',
  '--test',
  '--test-concurrency=1',
  '--test-reporter=spec',
  ...files,
];
// The runner's output is passed through as it comes, and its totals are kept so that the
// very last line, after the broker has stopped, is the plain "N passed, N failed".
const child = spawn(process.execPath, nodeArgs, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
const totals = { pass: 0, fail: 0, skipped: 0 };
let partial = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const lines = (partial + chunk.toString('utf8')).split('\n');
  partial = lines.pop();
  for (const line of lines) {
    const m = /^ℹ (pass|fail|skipped) (\d+)/.exec(line);
    if (m) totals[m[1]] = Number(m[2]);
  }
});
const code = await new Promise((res) => child.on('exit', (c, s) => res(c ?? (s ? 1 : 0))));
if (broker) await broker.stop();
process.stdout.write(`\n${totals.pass} passed, ${totals.fail} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}\n`);
process.exit(code);
