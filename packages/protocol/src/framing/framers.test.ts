import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameFault, Framer } from './framer.js';
import { decodeImageFrame, encodeImageFrame, ImageFrameFramer } from './image-frame.js';
import { encodeLengthPrefixed, LengthPrefixedFramer } from './length-prefixed-framer.js';
import { NewlineFramer } from './newline-framer.js';
import { VarintDelimitedFramer } from './varint-delimited-framer.js';

/** Feeds `stream` cut at pseudo-random points; returns the records and faults seen. */
function run(framer: Framer, stream: Buffer, seed: number, maxChunk = 17) {
  const records: Buffer[] = [];
  const faults: FrameFault[] = [];
  const sink = {
    record: (b: Buffer, s: number, e: number) => records.push(Buffer.from(b.subarray(s, e))),
    fault: (f: FrameFault) => faults.push(f),
  };
  let x = seed;
  let pos = 0;
  while (pos < stream.length) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const n = 1 + (x % maxChunk);
    // A fresh copy per chunk: framers must not keep views of memory the caller reuses.
    framer.push(Buffer.from(stream.subarray(pos, pos + n)), sink);
    pos += n;
  }
  framer.end(sink);
  return { records, faults };
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

test('newline framer splits lines across any chunking, handles CRLF and a last line without newline', () => {
  const text = 'alpha\nbeta\r\n\ngamma delta\nlast';
  for (let seed = 1; seed < 50; seed++) {
    const { records, faults } = run(new NewlineFramer(), Buffer.from(text), seed, 5);
    assert.deepEqual(records.map(String), ['alpha', 'beta', '', 'gamma delta', 'last']);
    assert.equal(faults.length, 0);
  }
});

test('newline framer skips an over-long line, reports it, and keeps the lines around it', () => {
  const text = `ok1\n${'x'.repeat(100)}\nok2\n`;
  const { records, faults } = run(new NewlineFramer({ maxFrameBytes: 20 }), Buffer.from(text), 7, 9);
  assert.deepEqual(records.map(String), ['ok1', 'ok2']);
  assert.equal(faults.length, 1);
  assert.equal(faults[0]!.kind, 'oversized');
});

test('length-prefixed framer delivers every payload exactly, including empty and large ones', () => {
  const payloads = [Buffer.from('a'), Buffer.alloc(0), Buffer.alloc(70_000, 7), Buffer.from('tail')];
  const stream = Buffer.concat(payloads.map(encodeLengthPrefixed));
  for (const seed of [1, 2, 3, 99]) {
    const { records, faults } = run(new LengthPrefixedFramer(), stream, seed, 40_000);
    assert.deepEqual(records, payloads);
    assert.equal(faults.length, 0);
  }
});

test('length-prefixed framer reports a truncated final frame instead of storing it', () => {
  const stream = Buffer.concat([encodeLengthPrefixed(Buffer.from('good')), encodeLengthPrefixed(Buffer.alloc(50)).subarray(0, 20)]);
  const { records, faults } = run(new LengthPrefixedFramer(), stream, 3);
  assert.deepEqual(records.map(String), ['good']);
  assert.equal(faults.length, 1);
  assert.equal(faults[0]!.kind, 'truncated');
});

test('length-prefixed framer rejects an oversized frame without buffering it and asks for a reset', () => {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(2_000_000_000);
  const framer = new LengthPrefixedFramer({ maxFrameBytes: 1024 });
  const stream = Buffer.concat([encodeLengthPrefixed(Buffer.from('before')), header, Buffer.alloc(5000)]);
  const before = process.memoryUsage().rss;
  const { records, faults } = run(framer, stream, 5, 100);
  assert.deepEqual(records.map(String), ['before']);
  assert.equal(faults[0]!.kind, 'oversized');
  assert.match(faults[0]!.message, /exceeds maxFrameBytes/);
  assert.ok(process.memoryUsage().rss - before < 100 * 1024 * 1024);
});

test('image frame framer keeps names and bytes, across chunk boundaries', () => {
  const images = [
    { name: 'cat.jpg', bytes: Buffer.alloc(1000, 1) },
    { name: 'a-very-long-file-name-beyond-28-bytes.png', bytes: Buffer.alloc(3, 2) },
    { name: 'é'.repeat(20), bytes: Buffer.from([9]) },
  ];
  const stream = Buffer.concat(images.map((i) => encodeImageFrame(i.name, i.bytes)));
  for (const seed of [11, 12, 13]) {
    const { records } = run(new ImageFrameFramer(), stream, seed, 50);
    const decoded = records.map(decodeImageFrame);
    assert.equal(decoded[0]!.name, 'cat.jpg');
    assert.equal(decoded[1]!.name, 'a-very-long-file-name-beyond');
    assert.equal(Buffer.byteLength(decoded[2]!.name), 28);
    assert.equal(decoded[2]!.name, 'é'.repeat(14));
    assert.deepEqual(decoded.map((d) => d.bytes), images.map((i) => i.bytes));
    assert.deepEqual(decoded.map((d) => d.nameMayBeCut === true), [false, true, true], 'a full name field may hold a cut name');
  }
});

test('long-name image frames carry whole names; names that fit stay classic frames, byte for byte', () => {
  const images = [
    { name: 'cat.jpg', bytes: Buffer.alloc(1000, 1) },
    { name: 'a-very-long-file-name-beyond-28-bytes.png', bytes: Buffer.alloc(3, 2) },
    { name: 'ünïcödé-'.repeat(40) + '.webp', bytes: Buffer.from([9]) },
    { name: 'no-image.png'.padStart(60, 'x'), bytes: Buffer.alloc(0) },
    // Exactly the field's 28 bytes: whole, and not taken for a name the sender cut.
    { name: 'n02669723_academic_gown.JPEG', bytes: Buffer.alloc(5, 3) },
  ];
  assert.deepEqual(encodeImageFrame('cat.jpg', images[0]!.bytes, { longNames: true }), encodeImageFrame('cat.jpg', images[0]!.bytes));
  const stream = Buffer.concat(images.map((i) => encodeImageFrame(i.name, i.bytes, { longNames: true })));
  for (const seed of [21, 22]) {
    const { records } = run(new ImageFrameFramer(), stream, seed, 50);
    const decoded = records.map(decodeImageFrame);
    assert.deepEqual(decoded.map((d) => d.name), images.map((i) => i.name));
    assert.deepEqual(decoded.map((d) => d.bytes), images.map((i) => i.bytes));
    assert.ok(decoded.every((d) => d.nameMayBeCut !== true));
  }
  // A long-name frame whose name length runs past its body: the name is what there is, no image bytes.
  const broken = encodeImageFrame('x'.repeat(40), Buffer.alloc(0), { longNames: true });
  broken.writeUInt16BE(500, 1);
  assert.deepEqual(decodeImageFrame(broken), { name: 'x'.repeat(40), bytes: Buffer.alloc(0) });
});

test('varint-delimited framer reads protobuf length-delimited messages', () => {
  const msgs = [Buffer.from('x'), Buffer.alloc(300, 3), Buffer.alloc(0), Buffer.alloc(20_000, 4)];
  const stream = Buffer.concat(msgs.flatMap((m) => [varint(m.length), m]));
  for (const seed of [1, 5, 8]) {
    const { records, faults } = run(new VarintDelimitedFramer(), stream, seed, 700);
    assert.deepEqual(records, msgs);
    assert.equal(faults.length, 0);
  }
});

test('large frames spanning chunks can be delivered as pieces, whole and in order, for sinks that take them', () => {
  const payloads = [Buffer.alloc(100_000, 1), Buffer.from('small'), Buffer.alloc(0), Buffer.alloc(250_000, 2), Buffer.from('end')];
  for (const [framer, stream, expected] of [
    [new LengthPrefixedFramer(), Buffer.concat(payloads.map(encodeLengthPrefixed)), payloads],
    [new ImageFrameFramer(), Buffer.concat(payloads.map((p, i) => encodeImageFrame(`img${i}`, p))), payloads.map((p, i) => encodeImageFrame(`img${i}`, p))],
  ] as const) {
    for (const seed of [3, 4, 5]) {
      const records: Buffer[] = [];
      let viaPieces = 0;
      const sink = {
        record: (b: Buffer, s: number, e: number) => records.push(Buffer.from(b.subarray(s, e))),
        recordPieces: (pieces: Buffer[], length: number) => {
          viaPieces++;
          const whole = Buffer.concat(pieces);
          assert.equal(whole.length, length);
          records.push(whole);
        },
        fault: (f: FrameFault) => assert.fail(f.message),
      };
      let x = seed;
      for (let pos = 0; pos < stream.length; ) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        const n = 1 + (x % 70_000);
        framer.push(Buffer.from(stream.subarray(pos, pos + n)), sink);
        pos += n;
      }
      framer.end(sink);
      assert.deepEqual(records, expected);
      assert.ok(viaPieces >= 2, 'the large frames came as pieces');
    }
  }
});
