import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { crc32, crc32Portable, crc32Update } from './crc32.js';

/** The textbook bit-at-a-time CRC-32, as a reference the fast version must agree with. */
function referenceCrc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

test('crc32 matches the published check values', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(Buffer.alloc(0)), 0);
  assert.equal(crc32(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x414fa339);
  // Values from Python's zlib.crc32.
  assert.equal(crc32(Buffer.from('a')), 0xe8b7be43);
  assert.equal(crc32(Buffer.alloc(32)), 0x190a55ad);
  assert.equal(crc32(Buffer.alloc(32, 0xff)), 0xff6cab0b);
});

test('crc32 agrees with the bitwise reference on random buffers and ranges', () => {
  for (let n = 0; n < 200; n++) {
    const buf = randomBytes(n < 40 ? n : 1 + Math.floor(Math.random() * 3000));
    const start = Math.floor(Math.random() * (buf.length + 1));
    const end = start + Math.floor(Math.random() * (buf.length - start + 1));
    assert.equal(crc32(buf, start, end), referenceCrc32(buf.subarray(start, end)), `length ${buf.length} [${start}, ${end})`);
  }
});

test('crc32Update continues a checksum across pieces', () => {
  const buf = randomBytes(10_000);
  for (const cut of [0, 1, 7, 8, 9, 4096, 9_999, 10_000]) {
    assert.equal(crc32Update(crc32(buf, 0, cut), buf, cut), crc32(buf));
  }
});

test('crc32 rejects a range outside the buffer', () => {
  assert.throws(() => crc32(Buffer.alloc(4), 2, 5), RangeError);
  assert.throws(() => crc32(Buffer.alloc(4), 3, 2), RangeError);
});

test('the portable CRC-32 agrees with the one in use on random data and ranges', () => {
  for (let i = 0; i < 200; i++) {
    const buf = randomBytes(1 + ((i * 7919) % 3000));
    const start = i % Math.max(1, buf.length >> 2);
    assert.equal(crc32Portable(0, buf, start) >>> 0, crc32(buf, start));
    assert.equal(crc32Portable(0x1234, buf, start, buf.length) >>> 0, crc32Update(0x1234, buf, start));
  }
  assert.equal(crc32Portable(0, Buffer.from('123456789')) >>> 0, 0xcbf43926);
});
