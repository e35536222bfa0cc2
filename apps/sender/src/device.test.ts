import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DeviceStream, type DeviceSummary } from './device-stream.js';
import { randomPayloads } from './payloads.js';
import { DeviceFramer } from './protocol.js';
import { SeededRandom } from '@sluice/protocol';
import { deviceSummary, readAll, readFifo, runSender, SenderProcess } from './sender-process.js';
import { makeImageDirectory, type TestImage } from './test-images.js';

interface Received {
  payloads: Buffer[];
  sequences: number[];
  faults: Record<string, { faults: number; units: number }>;
}

/** Parses a device stream as a receiver would, cut into chunks of random sizes. */
function receive(stream: Buffer, seed = 1): Received {
  const random = new SeededRandom(seed);
  const framer = new DeviceFramer();
  const received: Received = { payloads: [], sequences: [], faults: {} };
  const sink = {
    record(buf: Buffer, start: number, end: number) {
      received.payloads.push(Buffer.from(buf.subarray(start, end)));
      received.sequences.push(framer.sequence);
    },
    fault(fault: { kind: string; count?: number }) {
      const entry = (received.faults[fault.kind] ??= { faults: 0, units: 0 });
      entry.faults++;
      entry.units += fault.count ?? 1;
    },
  };
  for (let at = 0; at < stream.length; ) {
    const size = random.chance(0.5) ? random.int(1, 40) : random.int(1, 100_000);
    framer.push(stream.subarray(at, at + size), sink);
    at += size;
  }
  framer.end(sink);
  return received;
}

/** What the receiver found must be exactly what the sender says it injected. */
function assertMatchesSummary(received: Received, summary: DeviceSummary): void {
  const faults = (kind: string) => received.faults[kind] ?? { faults: 0, units: 0 };
  assert.equal(received.payloads.length, summary.good_frames, 'good frames');
  assert.equal(faults('bad-crc').faults, summary.bad_crc, 'bad CRCs');
  assert.equal(faults('garbage').faults, summary.garbage_runs, 'garbage runs');
  assert.equal(faults('garbage').units, summary.garbage_bytes, 'garbage bytes');
  assert.equal(faults('truncated').faults, summary.truncated, 'truncated frames');
  assert.equal(faults('sequence-gap').units, summary.dropped_seq + summary.bad_crc, 'missing sequence numbers');
  assert.deepEqual(Object.keys(received.faults).filter((k) => !['bad-crc', 'garbage', 'truncated', 'sequence-gap'].includes(k)), []);
  for (let i = 1; i < received.sequences.length; i++) assert.ok(received.sequences[i]! > received.sequences[i - 1]!);
}

const FAULTS = ['--garbage', '0.05', '--bad-crc', '0.05', '--drop-seq', '0.05', '--truncate-last'];

describe('device stream fault injection', () => {
  test('every injected fault is found by DeviceFramer, for many seeds and fault mixes', () => {
    for (let seed = 0; seed < 150; seed++) {
      const random = new SeededRandom(seed);
      const count = random.int(1, 400);
      const faults = {
        garbage: random.next() * 0.5,
        badCrc: random.next() * 0.5,
        dropSeq: random.next() * 0.5,
        truncateLast: random.chance(0.5),
      };
      const stream = new DeviceStream(count, faults, seed);
      const payloads = randomPayloads(random.int(0, 600), seed);
      const parts: Buffer[] = [];
      while (!stream.done) parts.push(...stream.next(payloads(stream.position) as Buffer));
      const summary = stream.summary;
      assert.equal(summary.frames_sent, count);
      assert.equal(summary.good_frames + summary.bad_crc + summary.truncated, count);
      assertMatchesSummary(receive(Buffer.concat(parts), seed), summary);
    }
  });
});

describe('sluice-sender device', { timeout: 30_000 }, () => {
  let dir = '';
  let images: TestImage[] = [];
  before(async () => ({ dir, images } = await makeImageDirectory()));
  after(() => rm(dir, { recursive: true, force: true }));

  async function serveUnix(args: string[]): Promise<{ stream: Buffer; summary: DeviceSummary }> {
    const path = join(dir, `device-${process.hrtime.bigint()}.sock`);
    const sender = new SenderProcess(['device', '--mode', 'unix', '--path', path, '--once', ...args]);
    try {
      await sender.waitForStderr(/listening on/);
      const stream = await readAll({ path });
      const exit = await sender.exited;
      assert.equal(exit.code, 0, exit.stderr);
      return { stream, summary: deviceSummary(exit.stderr) };
    } finally {
      sender.stop();
    }
  }

  test('unix mode: the faults in the stream match the JSON summary', async () => {
    const { stream, summary } = await serveUnix(['--count', '3000', '--size', '200', '--seed', '7', ...FAULTS]);
    assert.equal(summary.frames_sent, 3000);
    assert.ok(summary.bad_crc > 0 && summary.garbage_runs > 0 && summary.dropped_seq > 0 && summary.truncated === 1);
    assertMatchesSummary(receive(stream), summary);
  });

  test('the same seed gives the same stream, another seed another one', async () => {
    const args = ['--count', '500', '--size', '64', ...FAULTS];
    const [a, b, c] = await Promise.all([
      serveUnix([...args, '--seed', '11']),
      serveUnix([...args, '--seed', '11']),
      serveUnix([...args, '--seed', '12']),
    ]);
    assert.ok(a.stream.equals(b.stream));
    assert.deepEqual(a.summary, b.summary);
    assert.ok(!a.stream.equals(c.stream));
  });

  test('fifo mode: creates the FIFO, writes the stream once and exits', async () => {
    const path = join(dir, 'device.fifo');
    const sender = new SenderProcess(['device', '--path', path, '--count', '20', '--dir', dir, '--bad-crc', '0.3', '--seed', '3']);
    try {
      await sender.waitForStderr(/waiting for a reader/);
      const received = receive(await readFifo(path));
      const exit = await sender.exited;
      assert.equal(exit.code, 0, exit.stderr);
      const summary = deviceSummary(exit.stderr);
      assertMatchesSummary(received, summary);
      // The payloads are the images, in name order, cycled; corrupted ones are missing.
      const expected = Array.from({ length: 20 }, (_, i) => images[i % images.length]!.bytes);
      const delivered = received.sequences.map((seq) => expected[seq]!);
      assert.deepEqual(received.payloads, delivered);
      assert.equal(received.payloads.length, 20 - summary.bad_crc);
    } finally {
      sender.stop();
    }
  });

  test('a path that is neither missing nor a FIFO is refused', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'sluice-sender-device-')), 'plain-file');
    await writeFile(path, 'keep me');
    const exit = await runSender(['device', '--path', path, '--count', '1']);
    assert.equal(exit.code, 1);
    assert.match(exit.stderr, /exists and is not a FIFO/);
    await rm(join(path, '..'), { recursive: true, force: true });
  });
});
