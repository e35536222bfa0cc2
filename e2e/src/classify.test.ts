/**
 * Image classification end to end: real executor processes, real sockets, the default
 * ImageNet model (fetched from PyPI and converted once, then cached), pictures rendered
 * for the test, and the demo's real photos.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { encodeImageFrame } from '@sluice/protocol';
import { imagenetLabels } from '@sluice/vision';
import { brokenImages, renderPicture, startImageSender } from '@sluice/classify/testing';
import * as fixture from '../fixtures/classify-job.js';
import { listen, sleep, start, waitFor } from './helpers.js';

const job = fileURLToPath(new URL('../fixtures/classify-job.ts', import.meta.url));
const classifyBin = fileURLToPath(new URL('../../apps/classify/bin/sluice-classify.mjs', import.meta.url));
const quiet = () => {};
const conf = { executors: 2, batchDuration: '500ms', blockInterval: '100ms', receiverRestartDelay: '10m' };

let dir = '';
let IMAGENET_LABELS = new Set<string>();
before(async () => {
  IMAGENET_LABELS = new Set(await imagenetLabels());
  dir = await mkdtemp(join(tmpdir(), 'sluice-classify-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function assertClassified(result: fixture.ExecutedResult): void {
  assert.ok(result.ok, `${result.name}: ${result.ok ? '' : result.error}`);
  assert.equal(result.top.length, 3);
  for (const { label, wnid, score } of result.top) {
    assert.ok(IMAGENET_LABELS.has(label), `${result.name}: "${label}" is not one of the model's labels`);
    assert.match(wnid ?? '', /^n\d{8}$/, `${result.name}: ${label} has WordNet id ${wnid}`);
    assert.ok(score >= 0 && score <= 1, `${result.name}: score ${score}`);
  }
  const scores = result.top.map((t) => t.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'best first');
}

/** Peak resident memory of a process (Linux), in MiB, or null elsewhere. */
function peakRssMiB(pid: number): number | null {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return null;
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'));
  return match ? Number(match[1]) / 1024 : null;
}

test('2 executors over a socket: exactly one result per sent image, every label in the model set', async () => {
  fixture.batches.length = 0;
  const pictures = await Promise.all(Array.from({ length: 24 }, (_, i) => renderPicture(i)));
  const imageDir = join(dir, 'pictures');
  await mkdir(imageDir);
  for (const p of pictures) await writeFile(join(imageDir, p.name), p.bytes);
  const sender = await startImageSender(imageDir, ['--once', '--rate', '40']);
  try {
    const { ssc } = await start({ job, args: ['127.0.0.1', String(sender.port), '5', '2'], conf, log: quiet });
    await waitFor(() => fixture.allResults().length >= pictures.length, 45_000, 'a result for every picture');
    await sleep(600);
    await ssc.stop();
  } finally {
    await sender.stop();
  }
  const results = fixture.allResults();
  assert.deepEqual(results.map((r) => r.name).sort(), pictures.map((p) => p.name).sort(), 'each picture exactly once');
  for (const r of results) assertClassified(r);
  assert.equal(new Set(results.map((r) => r.pid)).size, 2, 'both executors classified images');
  assert.ok(fixture.batches.filter((b) => b.results.length > 0).length >= 2, 'the pictures came in several batches');
});

test('bad inputs each give one error result with the reason; the batch and the stream go on', async () => {
  fixture.batches.length = 0;
  const good = await Promise.all([0, 1, 2, 3, 4, 5].map(renderPicture));
  const broken = await brokenImages();
  // A real 12-megapixel photo-sized image is large but allowed: it must classify.
  const big = { name: 'big-4000x3000.jpg', bytes: await sharp(Buffer.from(svgScene(4000, 3000))).jpeg().toBuffer() };
  const firstWave = [good[0]!, broken[0]!, good[1]!, broken[1]!, big, broken[2]!, good[2]!, broken[3]!];
  const secondWave = [good[3]!, good[4]!, good[5]!];
  let secondWaveSent = false;
  const { server, port } = await listen((socket) => {
    socket.write(Buffer.concat(firstWave.map((i) => encodeImageFrame(i.name, i.bytes))));
    // Later, in another batch: the stream must still be flowing after the bad batch.
    setTimeout(() => {
      socket.write(Buffer.concat(secondWave.map((i) => encodeImageFrame(i.name, i.bytes))));
      secondWaveSent = true;
    }, 2500);
  });
  const { ssc, pool } = await start({ job, args: ['127.0.0.1', String(port), '4', '2'], conf, log: quiet });
  const executors = Object.values(pool.localExecutorPids);
  await waitFor(() => secondWaveSent && fixture.allResults().length >= firstWave.length + secondWave.length, 45_000, 'every result');
  const peaks = executors.map(peakRssMiB);
  await ssc.stop();
  server.close();

  const byName = new Map(fixture.allResults().map((r) => [r.name, r]));
  assert.equal(byName.size, firstWave.length + secondWave.length, 'one result per image');
  const expectedErrors: Record<string, RegExp> = {
    'broken-truncated.jpg': /^truncated or corrupt image data: /,
    'broken-noise.png': /^not an image \/ unsupported format: /,
    'broken-empty.jpg': /^empty input \(0 bytes\)$/,
    'broken-huge.png': /^image too large: 20000x20000 exceeds the 100000000-pixel limit$/,
  };
  for (const b of broken) {
    const r = byName.get(b.name)!;
    assert.ok(!r.ok, `${b.name} must fail`);
    assert.equal(r.kind, b.kind, b.name);
    assert.match(r.error, expectedErrors[b.name]!);
  }
  for (const g of [...good, big]) assertClassified(byName.get(g.name)!);
  const batchOf = (name: string) => fixture.batches.find((b) => b.results.some((r) => r.name === name))!.time;
  assert.ok(batchOf(good[5]!.name) > batchOf(broken[3]!.name), 'the second wave was classified in a later batch');
  for (const [i, peak] of peaks.entries()) {
    // Decoding the 20000x20000 image would need 1.2 GB for its pixels alone.
    if (peak !== null) assert.ok(peak < 900, `executor ${i} peaked at ${peak.toFixed(0)} MiB`);
  }
});

test('the same image gets the same top label every time, whichever executor and batch', async () => {
  fixture.batches.length = 0;
  const picture = await renderPicture(3);
  const copies = 10;
  let sent = 0;
  const { server, port } = await listen((socket) => {
    // One copy every 150 ms: the copies land in different batches, partitions and executors.
    const timer = setInterval(() => {
      socket.write(encodeImageFrame(`copy-${sent}`, picture.bytes));
      if (++sent === copies) clearInterval(timer);
    }, 150);
    socket.on('close', () => clearInterval(timer));
  });
  const { ssc } = await start({ job, args: ['127.0.0.1', String(port), '3', '2'], conf, log: quiet });
  await waitFor(() => fixture.allResults().length >= copies, 45_000, 'every copy classified');
  await ssc.stop();
  server.close();

  const results = fixture.allResults();
  assert.equal(results.length, copies);
  for (const r of results) assertClassified(r);
  const tops = results.map((r) => (r.ok ? r.top[0]! : null)!);
  assert.equal(new Set(tops.map((t) => t.label)).size, 1, `top labels: ${tops.map((t) => t.label).join(', ')}`);
  const scores = tops.map((t) => t.score);
  assert.ok(Math.max(...scores) - Math.min(...scores) < 1e-4, `top scores vary: ${scores.join(', ')}`);
  assert.ok(fixture.batches.filter((b) => b.results.length > 0).length >= 2, 'copies in several batches');
  assert.equal(new Set(results.map((r) => r.pid)).size, 2, 'copies classified by both executors');
});

test('sluice-classify --demo classifies real photos, reports the broken ones, and exits by itself', async () => {
  const child = spawn(process.execPath, [classifyBin, '--demo', '--demo-images', '8', '--output', 'jsonl:-', '--batch-duration', '500ms'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, stderr);
  type Top = { label: string; wnid: string; score: number }[];
  const records = stdout.trim().split('\n').map((line) => JSON.parse(line) as { name: string; ok: boolean; kind?: string; top?: Top; latencyMs: number });
  assert.equal(records.length, 12, 'eight photos and four broken files');
  const topWnid = (name: string) => records.find((r) => r.name === name)?.top?.[0]?.wnid;
  assert.equal(topWnid('02-coffee.png'), 'n07920052', 'the coffee photo is an espresso');
  assert.equal(topWnid('08-coffee.webp'), 'n07920052', 'and so is its WebP copy');
  assert.ok(['n02123045', 'n02123159', 'n02124075'].includes(topWnid('01-chelsea.png')!), 'the cat photo is a cat');
  assert.deepEqual(records.filter((r) => !r.ok).map((r) => r.kind).sort(), ['corrupt', 'empty', 'too_large', 'unsupported_format']);
  for (const r of records) assert.ok(r.latencyMs >= 0);
  // Durations from 10 s up are printed in seconds (a loaded machine gets there).
  assert.match(stderr, /^batch \d\d:\d\d:\d\d\.\d{3} {2}\d+ images \(\d errors?\) {2}[\d.]+ images\/s {2}scheduling delay (\d+ ms|[\d.]+ s) {2}processing (\d+ ms|[\d.]+ s)$/m);
  assert.match(stderr, /sluice-classify: 12 images in .*: 8 classified, 4 errors/);
  assert.match(stderr, /startup {5}.* from launch to the first result/);
  // Where start-up went: every step, in the order they happened.
  const line = /after launch: (.*)$/m.exec(stderr.replace(/(\d+(?:\.\d+)?) s\b/g, (_, s: string) => `${Math.round(Number(s) * 1000)} ms`));
  assert.ok(line, `start-up steps in the summary:\n${stderr}`);
  const steps = line[1]!.split(', ').map((part) => /^(.*) (\d+) ms$/.exec(part)!);
  assert.deepEqual(
    steps.map((m) => m[1]).sort(),
    ["driver's modules loaded", 'executors ready', 'first batch with images started', 'stream started'],
    line[0],
  );
  const at = steps.map((m) => Number(m[2]));
  assert.deepEqual([...at].sort((a, b) => a - b), at, `start-up steps in order: ${line[0]}`);
  assert.match(stderr, /latency {5}p50 [\d.]+ m?s, p90 [\d.]+ m?s, p99 [\d.]+ m?s, max [\d.]+ m?s/);
  // The demo's end reads as a normal end: no receiver restart, and a last line without failures.
  assert.doesNotMatch(stderr, /restarting receiver/);
  assert.match(stderr.trimEnd().split('\n').at(-1) ?? '', /^ {2}batches {5}\d+, none failed$/);
});

test('sluice-sender images serving every connection and sluice-classify --source socket://: each image once, with its whole name, and the run ends with the stream', async () => {
  const pictures = await Promise.all(Array.from({ length: 5 }, (_, i) => renderPicture(i)));
  // A name over the classic frame's 28 bytes arrives whole (the sender sends a long-name frame).
  pictures[0] = { ...pictures[0]!, name: `a-name-longer-than-the-name-field-${pictures[0]!.name}` };
  const imageDir = join(dir, 'served-to-each-connection');
  await mkdir(imageDir);
  for (const p of pictures) await writeFile(join(imageDir, p.name), p.bytes);
  // As a user would start it: no --once, so every connection gets the directory anew.
  const sender = await startImageSender(imageDir, ['--rate', '20']);
  try {
    const child = spawn(
      process.execPath,
      [classifyBin, '--source', `socket://127.0.0.1:${sender.port}`, '--output', 'jsonl:-', '--batch-duration', '500ms', '--no-ui', '--run-for', '120s'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
    const names = stdout.trim().split('\n').map((line) => (JSON.parse(line) as { name: string }).name);
    assert.deepEqual(names.sort(), pictures.map((p) => p.name).sort(), 'each picture exactly once');
    assert.match(stderr, /sluice-classify: the image stream from socket:\/\/127\.0\.0\.1:\d+ has ended; stopping/);
    assert.doesNotMatch(stderr, /--run-for|restarting receiver/, 'ended by the stream, not by the clock, without reconnecting');
  } finally {
    await sender.stop();
  }
});

/** A busy 4000x3000 scene, to stand for a camera photo. */
function svgScene(width: number, height: number): string {
  let shapes = '';
  for (let i = 0; i < 40; i++) {
    shapes += `<circle cx="${(i * 997) % width}" cy="${(i * 611) % height}" r="${80 + ((i * 37) % 300)}" fill="hsl(${(i * 47) % 360},60%,50%)"/>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="#2a6f97"/>${shapes}</svg>`;
}
