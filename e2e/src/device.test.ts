import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { crc32, encodeDeviceFrame } from '@sluice/protocol';
import { ReceiverSupervisor, type DeviceReceiver, type ReceiverStatus } from '@sluice/streaming';
import * as jobs from '../fixtures/device-jobs.js';
import { DeviceSender, frameUnixStream } from '../fixtures/device-sender.js';
import { sleep, start, waitFor } from './helpers.js';

const job = fileURLToPath(new URL('../fixtures/device-jobs.ts', import.meta.url));
const quiet = () => {};
let dir = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-device-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function allRecords(): string[] {
  return jobs.batches.flatMap((b) => b.records);
}

function deviceReceiverOf(status: ReceiverStatus | undefined): DeviceReceiver<boolean> {
  assert.ok(status instanceof ReceiverSupervisor, 'the job has a receiver running in the driver');
  return status.receiver as DeviceReceiver<boolean>;
}

function sequences(records: string[]): number[] {
  return records.map((r) => Number(r.split(':')[0]));
}

test('under garbage, bad CRCs, gaps and truncation the device receiver stores exactly the good frames and reports every fault', async () => {
  jobs.batches.length = 0;
  const stream = ['--count', '3000', '--size', '200', '--garbage', '0.05', '--bad-crc', '0.04', '--drop-seq', '0.03', '--truncate-last', '--seed', '7'];

  // The reference: the same seeded stream, framed by a bare DeviceFramer.
  const socketPath = join(dir, 'reference.sock');
  const reference = new DeviceSender(['--mode', 'unix', '--once', '--path', socketPath, ...stream]);
  await reference.waitFor(/listening on/);
  const expected = await frameUnixStream(socketPath);
  await reference.summary();

  const fifo = join(dir, 'faults.fifo');
  const sender = new DeviceSender(['--path', fifo, ...stream]);
  try {
    await sender.waitFor(/waiting for a reader/);
    const messages: string[] = [];
    const { ssc } = await start({ job, args: ['records', fifo], conf: { executors: 2, batchDuration: '300ms', blockInterval: '50ms' }, log: quiet });
    ssc.addStreamingListener({ onReceiverError: (e) => messages.push(e.receiverInfo.lastErrorMessage) });
    const summary = await sender.summary();
    await waitFor(() => allRecords().length >= summary.good_frames, 15_000, `${summary.good_frames} good frames`);
    await sleep(400);
    const supervisor = ssc.receivers[0];
    const receiver = deviceReceiverOf(supervisor);
    await ssc.stop({ graceful: true });

    assert.ok(summary.bad_crc > 0 && summary.garbage_runs > 0 && summary.dropped_seq > 0 && summary.truncated === 1, JSON.stringify(summary));
    const records = allRecords();
    assert.equal(records.length, summary.good_frames, 'every good frame once, nothing else');
    assert.deepEqual(records, expected.records, 'the same frames (sequence numbers and payload CRCs) as a bare reader, in order');

    // Reports, as the supervisor and the listeners count them...
    const errorCounts = supervisor!.errorCounts;
    assert.equal(errorCounts.get('bad-crc'), summary.bad_crc, 'bad-crc reports');
    assert.equal(errorCounts.get('garbage'), summary.garbage_runs, 'garbage reports (one per run)');
    assert.equal(errorCounts.get('truncated'), summary.truncated, 'truncated reports');
    assert.equal(errorCounts.get('oversized'), undefined, 'no oversized frames');
    // ...and units, as the receiver tallies them.
    assert.equal(receiver.faults.units('garbage'), summary.garbage_bytes, 'garbage bytes');
    assert.equal(receiver.faults.units('sequence-gap'), summary.dropped_seq + summary.bad_crc, 'frames missing from the sequence');
    assert.equal(receiver.faults.units('bad-crc'), summary.bad_crc);
    assert.deepEqual(receiver.faults.toJSON(), expected.faults, 'the same faults as a bare reader');
    assert.equal(receiver.framesStored, summary.good_frames);

    // The listener's messages carry the kind, where, and the running totals.
    const last = (kind: string) => messages.filter((m) => m.startsWith(`${kind} at byte `)).at(-1) ?? '';
    assert.match(last('garbage'), new RegExp(`of FIFO .*garbage so far: ${summary.garbage_bytes} bytes? in ${summary.garbage_runs} runs?`));
    assert.match(last('bad-crc'), new RegExp(`bad-crc so far: ${summary.bad_crc} frames? in ${summary.bad_crc} reports?`));
    assert.match(last('truncated'), /stream ended \d+ bytes into a frame/);
    assert.match(last('sequence-gap'), new RegExp(`sequence-gap so far: ${summary.dropped_seq + summary.bad_crc} frames? missing`));
  } finally {
    sender.stop();
  }
});

test('placed on an executor, the device receiver stores the same good frames and its fault counts reach the driver', async () => {
  jobs.batches.length = 0;
  const stream = ['--count', '2000', '--size', '300', '--garbage', '0.05', '--bad-crc', '0.04', '--drop-seq', '0.03', '--truncate-last', '--seed', '11'];
  const socketPath = join(dir, 'reference-placed.sock');
  const reference = new DeviceSender(['--mode', 'unix', '--once', '--path', socketPath, ...stream]);
  await reference.waitFor(/listening on/);
  const expected = await frameUnixStream(socketPath);
  await reference.summary();

  const fifo = join(dir, 'placed.fifo');
  const sender = new DeviceSender(['--path', fifo, ...stream]);
  try {
    await sender.waitFor(/waiting for a reader/);
    const errors: { executorId: string; message: string }[] = [];
    const { ssc } = await start({
      job,
      args: ['records', fifo],
      conf: { executors: 2, batchDuration: '300ms', blockInterval: '50ms', receiverPlacement: 'executor' },
      log: quiet,
    });
    ssc.addStreamingListener({ onReceiverError: (e) => errors.push({ executorId: e.receiverInfo.executorId, message: e.receiverInfo.lastErrorMessage }) });
    const summary = await sender.summary();
    await waitFor(() => allRecords().length >= summary.good_frames, 15_000, `${summary.good_frames} good frames`);
    await sleep(400);
    const counts = ssc.receivers[0]!.errorCounts;
    await ssc.stop({ graceful: true });

    assert.deepEqual(allRecords(), expected.records, 'the same frames as a bare reader, in order, once each');
    assert.equal(counts.get('bad-crc'), summary.bad_crc, 'bad-crc reports');
    assert.equal(counts.get('garbage'), summary.garbage_runs, 'garbage reports');
    assert.equal(counts.get('truncated'), summary.truncated, 'truncated reports');
    assert.ok(errors.length > 0 && errors.every((e) => /^[01]$/.test(e.executorId)), 'reports come from the executor running the receiver');
  } finally {
    sender.stop();
  }
});

test('a FIFO that does not exist yet is waited for; when its writer goes away the receiver waits for the next one', async () => {
  jobs.batches.length = 0;
  const fifo = join(dir, 'later.fifo');
  const errors: string[] = [];
  const { ssc } = await start({
    job,
    args: ['records', fifo],
    conf: { executors: 2, batchDuration: '300ms', receiverRestartDelay: 300 },
    log: quiet,
  });
  ssc.addStreamingListener({ onReceiverError: (e) => errors.push(e.receiverInfo.lastErrorMessage) });
  await waitFor(() => errors.some((m) => /device path .*later\.fifo does not exist/.test(m)), 10_000, 'the missing path to be reported');

  // The sender creates the FIFO: the receiver's next attempt opens it.
  const first = new DeviceSender(['--path', fifo, '--count', '300', '--size', '64', '--seed', '1']);
  assert.equal((await first.summary()).good_frames, 300);
  await waitFor(() => allRecords().length >= 300, 10_000, 'the first writer\'s frames');
  const restartsBefore = ssc.receivers[0]!.errorCounts.get('restart') ?? 0;

  // A second writer: the receiver reopened the FIFO at once and is waiting for it.
  const second = new DeviceSender(['--path', fifo, '--count', '300', '--size', '64', '--seed', '2']);
  assert.equal((await second.summary()).good_frames, 300);
  await waitFor(() => allRecords().length >= 600, 10_000, 'the second writer\'s frames');
  await sleep(300);
  const supervisor = ssc.receivers[0]!;
  await ssc.stop({ graceful: true });

  const expectedSequences = [...Array.from({ length: 300 }, (_, i) => i), ...Array.from({ length: 300 }, (_, i) => i)];
  assert.deepEqual(sequences(allRecords()), expectedSequences, 'both writers\' frames, once each');
  assert.equal(supervisor.errorCounts.get('restart') ?? 0, restartsBefore, 'a writer closing the FIFO is not a restart');
  assert.equal(supervisor.errorCounts.get('sequence-gap'), undefined, 'each writer starts a new stream: no gap reported');
});

test('a unix socket that closes is reconnected after the restart delay', async () => {
  jobs.batches.length = 0;
  const socketPath = join(dir, 'device.sock');
  // Without --once the sender serves the same stream to every client that connects.
  const sender = new DeviceSender(['--mode', 'unix', '--path', socketPath, '--count', '200', '--size', '64', '--seed', '3']);
  try {
    await sender.waitFor(/listening on/);
    const errors: string[] = [];
    const { ssc } = await start({
      job,
      args: ['records', socketPath],
      conf: { executors: 2, batchDuration: '300ms', receiverRestartDelay: 300 },
      log: quiet,
    });
    ssc.addStreamingListener({ onReceiverError: (e) => errors.push(e.receiverInfo.lastErrorMessage) });
    await waitFor(() => allRecords().length >= 400, 15_000, 'the stream of a second connection');
    await ssc.stop();
    const records = allRecords();
    assert.deepEqual(sequences(records.slice(0, 400)), [...Array(200).keys(), ...Array(200).keys()]);
    assert.deepEqual(records.slice(200, 400), records.slice(0, 200), 'the same frames again');
    assert.ok(
      errors.some((m) => /restarting receiver in 300 ms: unix socket .*device\.sock closed the connection/.test(m)),
      errors.join('\n'),
    );
  } finally {
    sender.stop();
  }
});

test('a recorded file is read once; an oversized header in it is rejected unbuffered, the frames around it kept', async () => {
  jobs.batches.length = 0;
  const file = join(dir, 'capture.bin');
  const payloads = Array.from({ length: 100 }, (_, i) => Buffer.from(`frame ${i} `.repeat(20)));
  const oversized = Buffer.alloc(16);
  oversized.write('SLCE');
  oversized.writeUInt32BE(50, 4);
  oversized.writeUInt32BE(2_000_000_000, 8);
  const frames = payloads.map((p, i) => (i === 50 ? oversized : encodeDeviceFrame(i, p)));
  await writeFile(file, Buffer.concat(frames));
  const stopped: string[] = [];
  const errors: string[] = [];
  const { ssc } = await start({
    job,
    args: ['records', file],
    conf: { executors: 2, batchDuration: '300ms', maxFrameBytes: 1024 * 1024 },
    log: quiet,
  });
  ssc.addStreamingListener({
    onReceiverError: (e) => errors.push(e.receiverInfo.lastErrorMessage),
    onReceiverStopped: (e) => stopped.push(e.receiverInfo.name),
  });
  await waitFor(() => allRecords().length >= 99 && stopped.length > 0, 10_000, 'the whole file and the receiver to stop');
  await sleep(300);
  await ssc.stop();
  const expected = payloads.flatMap((p, i) => (i === 50 ? [] : [`${i}:${crc32(p)}`]));
  assert.deepEqual(allRecords(), expected);
  assert.match(errors.find((m) => m.startsWith('oversized')) ?? '', /oversized at byte \d+ of file .*capture\.bin: frame header announces 2000000000 bytes, over maxFrameBytes \(1048576\)/);
  assert.ok(errors.some((m) => /sequence-gap .*1 frame\(s\) missing/.test(m)), errors.join('\n'));
  assert.ok(!errors.some((m) => m.startsWith('garbage')), 'the rest of the rejected header is not reported again as garbage');
  assert.deepEqual(stopped, [`DeviceReceiver(${file})`], 'the receiver stops at the end of the file, and is not restarted');
});

test('receiver.maxRate holds the device receiver within 10 % over a 5 s run', async () => {
  jobs.batches.length = 0;
  const fifo = join(dir, 'rate.fifo');
  const sender = new DeviceSender(['--path', fifo, '--count', '10000000', '--size', '32', '--seed', '4']);
  try {
    await sender.waitFor(/waiting for a reader/);
    const rate = 5000;
    const { ssc } = await start({
      job,
      args: ['count', fifo],
      conf: { executors: 2, batchDuration: '500ms', receiverMaxRate: rate },
      log: quiet,
    });
    await waitFor(() => jobs.batches.length >= 13, 20_000, '13 batches');
    await ssc.stop();
    // Skip the first two batches (the receiver starts inside the first); then 10 batches = 5 s.
    const window = jobs.batches.slice(2, 12);
    const seconds = (window.at(-1)!.time - window[0]!.time + 500) / 1000;
    const observed = window.reduce((n, b) => n + b.count, 0) / seconds;
    assert.ok(Math.abs(observed - rate) / rate <= 0.1, `observed ${Math.round(observed)} frames/s for a limit of ${rate}`);
  } finally {
    sender.stop();
  }
});
