import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeImageFrame } from '@sluice/protocol';
import { imageFrames } from './converter.js';

/** The record the framer hands over: the whole frame, header included. */
function frameOf(name: string, longNames = false): Buffer {
  return encodeImageFrame(name, Buffer.from([1, 2, 3]), { longNames });
}

test('imageFrames decodes long-name frames whole, and says once when a classic name may have been cut', () => {
  const written: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (text: string | Uint8Array) => (written.push(String(text)), true);
  try {
    const long = 'a-file-name-well-beyond-twenty-eight-bytes.png';
    assert.deepEqual(imageFrames.decode(frameOf(long, true)), { name: long, bytes: Buffer.from([1, 2, 3]) });
    assert.deepEqual(imageFrames.decode(frameOf('short.png')), { name: 'short.png', bytes: Buffer.from([1, 2, 3]) });
    assert.equal(written.length, 0, 'whole names: no warning');
    assert.equal(imageFrames.decode(frameOf(long)).name, long.slice(0, 28));
    assert.equal(imageFrames.decode(frameOf(`${long}-2`)).name, long.slice(0, 28));
  } finally {
    process.stderr.write = write;
  }
  assert.equal(written.length, 1, written.join(''));
  assert.match(written[0]!, /'a-file-name-well-beyond-twen' fills the frame's 28-byte name field, so the sender may have cut a longer name/);
});
