import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { listen, runSluice } from './helpers.js';

const classifyBin = fileURLToPath(new URL('../../apps/classify/bin/sluice-classify.mjs', import.meta.url));
const wordCount = fileURLToPath(new URL('../../apps/examples/src/network-wordcount.ts', import.meta.url));

interface Trial { rate: number; sustained: boolean; reason: string; medianLatencyMs: number }
interface Report {
  unit: string;
  results: { point: { batchMs: number; executors: number; cores: number; partitions: number }; maxRate: number; failedRate: number | null; trials: Trial[] }[];
  notCovered: unknown[];
  recommendation: { point: { batchMs: number }; rate: number; submit: string } | null;
}

/** Text lines at a fixed rate to whoever connects, independent of the sender tune uses. */
async function pacedLines(rate: number) {
  const line = 'the quick brown fox jumps over the lazy dog\n';
  let sent = 0;
  const { server, port } = await listen((socket) => {
    const t0 = performance.now();
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - t0) / 1000) * rate) - sent;
      if (due > 0) {
        socket.write(line.repeat(due));
        sent += due;
      }
    }, 10);
    socket.on('close', () => clearInterval(timer));
  });
  return { port, sent: () => sent, close: () => server.close() };
}

test('sluice tune finds a rate the network word count really sustains, and writes JSON and a plot', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-tune-test-'));
  try {
    const output = join(dir, 'tune.json');
    const tune = await runSluice([
      'tune', '--budget', '40s', '--grid', 'batch=500ms;executors=1x1;partitions=2',
      '--start-rate', '20000', '--precision', '1', '--window', '4', '--warmup', '2', '--verify', '0',
      '--output', output, wordCount,
    ]);
    assert.equal(tune.code, 0, tune.stderr);
    assert.match(tune.stderr, /\[1\/1\] batch 500ms 1x1 partitions 2/);
    assert.match(tune.stderr, /max lines\/s/); // the table
    const report = JSON.parse(readFileSync(output, 'utf8')) as Report;
    assert.equal(report.unit, 'lines');
    assert.equal(report.results.length, 1);
    const [result] = report.results;
    assert.deepEqual(result!.point, { batchMs: 500, executors: 1, cores: 1, partitions: 2 });
    assert.ok(result!.trials.length >= 1);
    for (const t of result!.trials) assert.ok(typeof t.sustained === 'boolean' && t.reason.length > 0 && t.rate > 0);
    assert.ok(result!.maxRate >= 20000, `the start rate should be sustained: ${tune.stderr}`);
    assert.ok(result!.trials.some((t) => t.sustained && t.rate === result!.maxRate));
    if (result!.failedRate !== null) assert.ok(result!.failedRate > result!.maxRate);
    assert.equal(report.recommendation?.rate, result!.maxRate);
    assert.match(report.recommendation.submit, /--batch-duration 500ms --block-interval 250ms --executors 1 --executor-cores 1 --default-parallelism 2 /);
    const png = readFileSync(join(dir, 'tune.png'));
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);

    // The same configuration, run on its own at the rate found, keeps up: every record
    // lands in a batch and the scheduling delay stays within a batch or two.
    const rate = result!.maxRate;
    const source = await pacedLines(rate);
    const logDir = join(dir, 'events');
    const run = await runSluice([
      'submit', '--no-ui', '--event-log', logDir, '--run-for', '8s',
      '--batch-duration', '500ms', '--block-interval', '250ms', '--executors', '1', '--executor-cores', '1', '--default-parallelism', '2',
      wordCount, '127.0.0.1', String(source.port),
    ]);
    source.close();
    assert.equal(run.code, 0, run.stderr);
    const [log] = readdirSync(logDir);
    const batches = readFileSync(join(logDir, log!), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; payload: { batchInfo: { numRecords: number; schedulingDelay: number; processingDelay: number } } })
      .filter((e) => e.type === 'onBatchCompleted')
      .map((e) => e.payload.batchInfo);
    const withData = batches.slice(batches.findIndex((b) => b.numRecords > 0));
    const steady = withData.slice(3);
    assert.ok(steady.length >= 6, `too few batches: ${batches.length}`);
    const received = withData.reduce((s, b) => s + b.numRecords, 0);
    assert.ok(received >= source.sent() * 0.98, `received ${received} of ${source.sent()} lines`);
    const delays = steady.map((b) => b.schedulingDelay);
    assert.ok(Math.max(...delays.slice(-3)) < 1000, `scheduling delay grew at ${rate} lines/s: ${delays.join(', ')}`);
    const meanProcessing = steady.reduce((s, b) => s + b.processingDelay, 0) / steady.length;
    assert.ok(meanProcessing < 500, `batches took ${Math.round(meanProcessing)} ms of a 500 ms batch at ${rate} lines/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sluice tune --help and its mistakes', async () => {
  const help = await runSluice(['tune', '--help']);
  assert.equal(help.code, 0);
  for (const option of ['--budget', '--grid', '--output', '--goal', '--rate', '--source', '--images']) assert.match(help.stdout, new RegExp(option));
  const noRate = await runSluice(['tune', '--goal', 'latency', wordCount]);
  assert.equal(noRate.code, 2);
  assert.match(noRate.stderr, /--goal latency needs --rate/);
  const classify = spawnSync(process.execPath, [classifyBin, 'tune', '--help'], { encoding: 'utf8' });
  assert.equal(classify.status, 0, classify.stderr);
  assert.match(classify.stdout, /sluice-classify tune --images DIR/);
  const noImages = spawnSync(process.execPath, [classifyBin, 'tune', '--budget', '1m'], { encoding: 'utf8' });
  assert.equal(noImages.status, 2);
  assert.match(noImages.stderr, /--source images needs --images DIR/);
  const badGrid = await runSluice(['tune', '--grid', 'batches=1s', wordCount]);
  assert.equal(badGrid.code, 2);
  assert.match(badGrid.stderr, /--grid: unknown key "batches"/);
});
