import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crc32 } from './crc32.js';
import { DEVICE_HEADER_BYTES, DEVICE_SYNC_WORD, DeviceFramer, encodeDeviceFrame } from './device-frame.js';
import { DEFAULT_MAX_FRAME_BYTES, type FrameFault, type FrameFaultKind } from './framer.js';

type Event =
  | { type: 'record'; seq: number; payload: Buffer }
  | { type: 'fault'; kind: FrameFaultKind; count: number; offset: number };

const SYNC = Buffer.from([0x53, 0x4c, 0x43, 0x45]);

/** A small seeded generator (mulberry32): every failure can be replayed from its seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function randomPayload(random: () => number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

/** Bytes that cannot form a sync word with anything around them. */
function garbageBytes(random: () => number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) {
    let b: number;
    do b = Math.floor(random() * 256);
    while (SYNC.includes(b));
    bytes[i] = b;
  }
  return bytes;
}

/** Builds a device stream and, alongside it, what a correct framer must report for it. */
class StreamBuilder {
  private readonly parts: Buffer[] = [];
  private length = 0;
  readonly expected: Event[] = [];
  private lastGoodSeq: number | undefined;

  constructor(public nextSeq = 0) {}

  /** A good frame: delivered, after a sequence-gap fault if numbers were skipped. */
  frame(payload: Buffer, seq = this.takeSeq()): this {
    if (this.lastGoodSeq !== undefined) {
      const missing = (seq - ((this.lastGoodSeq + 1) >>> 0)) >>> 0;
      if (missing !== 0) {
        this.fault('sequence-gap', missing < 0x80000000 ? missing : 0, this.length);
      }
    }
    this.lastGoodSeq = seq;
    this.expected.push({ type: 'record', seq, payload });
    return this.append(encodeDeviceFrame(seq, payload));
  }

  garbage(bytes: Buffer): this {
    const last = this.expected.at(-1);
    if (last?.type === 'fault' && last.kind === 'garbage' && last.offset + last.count === this.length) {
      last.count += bytes.length;
    } else {
      this.fault('garbage', bytes.length, this.length);
    }
    return this.append(bytes);
  }

  /** A frame whose CRC field was corrupted in transit. */
  badCrc(payload: Buffer): this {
    this.fault('bad-crc', 1, this.length);
    return this.append(encodeDeviceFrame(this.takeSeq(), payload, crc32(payload) ^ 0x00010000));
  }

  /**
   * A frame whose length field was corrupted to claim `extra` more bytes than it has. The
   * caller follows it with a good frame: bytes between the two would be taken as part of
   * the rejected frame.
   */
  badLength(payload: Buffer, extra: number, reportedAs: 'bad-crc' | 'truncated' = 'bad-crc'): this {
    this.fault(reportedAs, 1, this.length);
    const frame = encodeDeviceFrame(this.takeSeq(), payload);
    frame.writeUInt32BE(payload.length + extra, 8);
    return this.append(frame);
  }

  /** A header announcing more than maxFrameBytes, followed by `trailing` bytes of its body. */
  oversized(claimed: number, trailing: Buffer): this {
    this.fault('oversized', 1, this.length);
    const header = encodeDeviceFrame(this.takeSeq(), Buffer.alloc(0));
    header.writeUInt32BE(claimed, 8);
    this.append(header);
    return trailing.length > 0 ? this.garbage(trailing) : this;
  }

  skipSequence(count: number): this {
    this.nextSeq = (this.nextSeq + count) >>> 0;
    return this;
  }

  /** The first `keep` bytes of a frame, then the end of the stream. */
  truncated(payload: Buffer, keep: number): this {
    this.fault('truncated', 1, this.length);
    return this.append(encodeDeviceFrame(this.takeSeq(), payload).subarray(0, keep));
  }

  raw(bytes: Buffer): this {
    return this.append(bytes);
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }

  private takeSeq(): number {
    const seq = this.nextSeq;
    this.nextSeq = (this.nextSeq + 1) >>> 0;
    return seq;
  }

  private fault(kind: FrameFaultKind, count: number, offset: number): void {
    this.expected.push({ type: 'fault', kind, count, offset });
  }

  private append(bytes: Buffer): this {
    this.parts.push(bytes);
    this.length += bytes.length;
    return this;
  }
}

interface FramedResult {
  events: Event[];
  faults: FrameFault[];
}

/** Feeds `stream` in the given chunks and collects what the framer reports. */
function frame(stream: Buffer, cuts: number[], maxFrameBytes?: number): FramedResult {
  const framer = new DeviceFramer(maxFrameBytes === undefined ? {} : { maxFrameBytes });
  const events: Event[] = [];
  const faults: FrameFault[] = [];
  const sink = {
    record(buf: Buffer, start: number, end: number) {
      events.push({ type: 'record', seq: framer.sequence, payload: Buffer.from(buf.subarray(start, end)) });
    },
    fault(fault: FrameFault) {
      faults.push(fault);
      events.push({ type: 'fault', kind: fault.kind, count: fault.count ?? 1, offset: fault.offset });
    },
  };
  let at = 0;
  for (const cut of [...cuts, stream.length]) {
    if (cut > at) framer.push(stream.subarray(at, cut), sink);
    at = Math.max(at, cut);
  }
  framer.end(sink);
  assert.equal(framer.needsReset, false);
  return { events, faults };
}

/** Chunk boundaries mixing single bytes, small pieces and socket-sized reads. */
function randomCuts(random: () => number, length: number): number[] {
  const cuts: number[] = [];
  let at = 0;
  while (at < length) {
    const kind = random();
    at += kind < 0.4 ? randomInt(random, 1, 20) : kind < 0.8 ? randomInt(random, 1, 600) : randomInt(random, 1, 70_000);
    cuts.push(Math.min(at, length));
  }
  return cuts;
}

function everyWay(stream: Buffer, random: () => number): number[][] {
  const oneByOne = Array.from({ length: stream.length }, (_, i) => i + 1);
  return [[], stream.length < 20_000 ? oneByOne : [], randomCuts(random, stream.length), randomCuts(random, stream.length)];
}

function assertFramed(builder: StreamBuilder, seed: number, maxFrameBytes?: number): void {
  const stream = builder.bytes();
  const random = seededRandom(seed ^ 0x5eed);
  for (const cuts of everyWay(stream, random)) {
    const { events } = frame(stream, cuts, maxFrameBytes);
    assert.deepEqual(events, builder.expected, `seed ${seed}, ${cuts.length} chunks`);
  }
}

/** A random mix of good frames and every kind of fault, reproducible from its seed. */
function randomStream(seed: number): StreamBuilder {
  const random = seededRandom(seed);
  // Start near the top of the range now and then, so the numbers wrap around 2^32.
  const builder = new StreamBuilder(random() < 0.3 ? 0xffffffff - randomInt(random, 0, 20) : randomInt(random, 0, 1000));
  const smallPayload = () => randomPayload(random, randomInt(random, 0, 300));
  builder.frame(smallPayload());
  const items = randomInt(random, 5, 60);
  for (let n = 0; n < items; n++) {
    const pick = random();
    if (pick < 0.45) {
      builder.frame(smallPayload());
    } else if (pick < 0.55) {
      builder.garbage(garbageBytes(random, randomInt(random, 1, 100)));
    } else if (pick < 0.63) {
      builder.badCrc(smallPayload()).frame(smallPayload());
    } else if (pick < 0.68) {
      const extra = randomInt(random, 1, 200);
      builder.badLength(smallPayload(), extra).frame(randomPayload(random, randomInt(random, 100, 300)));
      builder.frame(randomPayload(random, randomInt(random, 100, 300)));
    } else if (pick < 0.75) {
      builder.skipSequence(randomInt(random, 1, 5)).frame(smallPayload());
    } else if (pick < 0.8) {
      // A payload that carries the sync word, even a whole frame header, must pass intact.
      const payload = Buffer.concat([smallPayload(), SYNC, encodeDeviceFrame(7, Buffer.from('inner')), smallPayload()]);
      builder.frame(payload);
    } else if (pick < 0.84) {
      builder.frame(randomPayload(random, randomInt(random, 20_000, 120_000)));
    } else if (pick < 0.88) {
      builder.oversized(randomInt(random, DEFAULT_MAX_FRAME_BYTES + 1, 0xffffffff), garbageBytes(random, randomInt(random, 0, 50)));
    } else if (pick < 0.9) {
      builder.skipSequence(0xffffffff).frame(smallPayload()); // goes back by one: a restart
    } else {
      builder.frame(Buffer.alloc(0));
    }
  }
  if (random() < 0.4) {
    const payload = smallPayload();
    builder.truncated(payload, randomInt(random, 4, DEVICE_HEADER_BYTES + payload.length - 1));
  } else if (random() < 0.3) {
    builder.garbage(garbageBytes(random, randomInt(random, 1, 30)));
  }
  return builder;
}

describe('encodeDeviceFrame', () => {
  test('writes sync word, sequence, length and CRC in big-endian order', () => {
    const payload = Buffer.from('123456789');
    const frameBytes = encodeDeviceFrame(0x01020304, payload);
    assert.equal(frameBytes.length, DEVICE_HEADER_BYTES + 9);
    assert.equal(frameBytes.readUInt32BE(0), DEVICE_SYNC_WORD);
    assert.deepEqual([...frameBytes.subarray(0, 4)], [0x53, 0x4c, 0x43, 0x45]);
    assert.equal(frameBytes.readUInt32BE(4), 0x01020304);
    assert.equal(frameBytes.readUInt32BE(8), 9);
    assert.equal(frameBytes.readUInt32BE(12), 0xcbf43926);
    assert.deepEqual(frameBytes.subarray(16), payload);
  });
});

describe('DeviceFramer', () => {
  test('delivers good frames however the stream is cut, including inside the sync word', () => {
    const builder = new StreamBuilder();
    for (let i = 0; i < 20; i++) builder.frame(Buffer.from(`payload number ${i}`));
    const stream = builder.bytes();
    for (let cut = 1; cut < 40; cut++) {
      assert.deepEqual(frame(stream, [cut, cut + 2, cut + 3]).events, builder.expected, `cut at ${cut}`);
    }
    assertFramed(builder, 1);
  });

  test('reports a run of garbage once, with the number of bytes skipped', () => {
    const random = seededRandom(2);
    const builder = new StreamBuilder()
      .garbage(garbageBytes(random, 10))
      .frame(Buffer.from('a'))
      .garbage(garbageBytes(random, 333))
      .frame(Buffer.from('b'))
      .garbage(Buffer.from('SLC')) // a partial sync word is garbage too
      .frame(Buffer.from('c'))
      .garbage(garbageBytes(random, 5));
    assertFramed(builder, 2);
  });

  test('skips a frame with a bad CRC and keeps the frames after it', () => {
    const builder = new StreamBuilder()
      .frame(Buffer.from('first'))
      .badCrc(Buffer.from('corrupted'))
      .frame(Buffer.from('after'))
      .badCrc(Buffer.alloc(0))
      .badCrc(Buffer.from('two in a row'))
      .frame(Buffer.from('last'));
    assertFramed(builder, 3);
  });

  test('a corrupted length does not swallow the good frames after it', () => {
    const builder = new StreamBuilder().frame(Buffer.from('before')).badLength(Buffer.from('bogus'), 500);
    for (let i = 0; i < 30; i++) builder.frame(Buffer.from(`survivor ${i}`));
    assertFramed(builder, 4);
  });

  test('a corrupted length running past the end of the stream is truncated, and its frames recovered', () => {
    const builder = new StreamBuilder().frame(Buffer.from('before')).badLength(Buffer.from('bogus'), 1_000_000, 'truncated');
    for (let i = 0; i < 10; i++) builder.frame(Buffer.from(`survivor ${i}`));
    builder.truncated(Buffer.from('the real last frame'), 20);
    assertFramed(builder, 5);
  });

  test('reports a truncated final frame, cut anywhere after its sync word', () => {
    const payload = Buffer.from('the last frame, cut short');
    for (let keep = 4; keep < DEVICE_HEADER_BYTES + payload.length; keep++) {
      const builder = new StreamBuilder().frame(Buffer.from('whole')).truncated(payload, keep);
      assertFramed(builder, 6 + keep);
    }
  });

  test('counts missing sequence numbers and reports a counter going back as a restart', () => {
    const builder = new StreamBuilder(10)
      .frame(Buffer.from('10'))
      .skipSequence(1)
      .frame(Buffer.from('12'))
      .skipSequence(100)
      .frame(Buffer.from('113'));
    builder.nextSeq = 0;
    builder.frame(Buffer.from('0 again')).frame(Buffer.from('1'));
    builder.nextSeq = 0xfffffffe;
    builder.frame(Buffer.from('near the top')).frame(Buffer.from('top')).frame(Buffer.from('wrapped to 0'));
    const { faults } = frame(builder.bytes(), []);
    assert.deepEqual(
      faults.map((f) => [f.kind, f.count]),
      [
        ['sequence-gap', 1],
        ['sequence-gap', 100],
        ['sequence-gap', 0],
        ['sequence-gap', 0], // 1 -> 0xfffffffe is a step back modulo 2^32; 0xffffffff -> 0 is no gap
      ],
    );
    assertFramed(builder, 7);
  });

  test('rejects an oversized length without buffering it and resynchronises', () => {
    const random = seededRandom(8);
    const builder = new StreamBuilder()
      .frame(Buffer.from('small'))
      .oversized(0xffffffff, Buffer.alloc(0))
      .frame(Buffer.from('after the huge header'))
      .oversized(4097, garbageBytes(random, 2000))
      .frame(Buffer.alloc(4096, 1));
    assertFramed(builder, 8, 4096);
  });

  test('a sync word inside a payload is not taken for a frame', () => {
    const tricky = Buffer.concat([SYNC, SYNC, encodeDeviceFrame(99, Buffer.from('nested')), SYNC.subarray(0, 3)]);
    const builder = new StreamBuilder().frame(tricky).frame(Buffer.concat([Buffer.from('x'), SYNC])).frame(tricky);
    assertFramed(builder, 9);
  });

  test('a sync word inside a corrupted payload costs no good frames', () => {
    // The phantom header inside claims 300 bytes: the frames after the bad one are
    // swallowed into it, then found again when its CRC fails.
    const phantom = Buffer.alloc(DEVICE_HEADER_BYTES);
    phantom.writeUInt32BE(DEVICE_SYNC_WORD, 0);
    phantom.writeUInt32BE(300, 8);
    const builder = new StreamBuilder()
      .frame(Buffer.from('before'))
      .badCrc(Buffer.concat([Buffer.from('abc'), phantom, Buffer.from('def')]));
    for (let i = 0; i < 30; i++) builder.frame(Buffer.from(`after ${i}`));
    assertFramed(builder, 10);
  });

  test('a payload of several megabytes is assembled once, in one buffer', () => {
    const random = seededRandom(11);
    const big = randomPayload(random, 5 * 1024 * 1024);
    const builder = new StreamBuilder().frame(Buffer.from('small')).frame(big).frame(Buffer.from('small again'));
    const stream = builder.bytes();
    const framer = new DeviceFramer();
    const recordBuffers: Buffer[] = [];
    const sink = {
      record: (buf: Buffer, start: number, end: number) => {
        if (end - start === big.length) recordBuffers.push(buf);
      },
      fault: (fault: FrameFault) => assert.fail(fault.message),
    };
    for (let at = 0; at < stream.length; at += 65_536) framer.push(stream.subarray(at, at + 65_536), sink);
    framer.end(sink);
    assert.equal(recordBuffers.length, 1);
    assert.equal(recordBuffers[0]!.length, big.length, 'the payload buffer was allocated at its final size');
    assert.ok(recordBuffers[0]!.equals(big));
    assertFramed(builder, 11);
  });

  test('an empty stream and a stream of garbage alone', () => {
    assert.deepEqual(frame(Buffer.alloc(0), []).events, []);
    assertFramed(new StreamBuilder().garbage(garbageBytes(seededRandom(12), 1000)), 12);
    assertFramed(new StreamBuilder().raw(Buffer.alloc(0)), 12);
  });

  test('random streams with every kind of fault, cut at random points', () => {
    for (let seed = 100; seed < 400; seed++) assertFramed(randomStream(seed), seed);
  });

  test('can be reused after end() for a new stream', () => {
    const framer = new DeviceFramer();
    const records: number[] = [];
    const faults: FrameFault[] = [];
    const sink = { record: () => records.push(framer.sequence), fault: (f: FrameFault) => faults.push(f) };
    framer.push(Buffer.concat([encodeDeviceFrame(5, Buffer.from('a')), SYNC]), sink);
    framer.end(sink);
    framer.push(encodeDeviceFrame(0, Buffer.from('b')), sink);
    framer.end(sink);
    assert.deepEqual(records, [5, 0]);
    assert.deepEqual(faults.map((f) => [f.kind, f.offset]), [['truncated', 17]]);
  });
});
