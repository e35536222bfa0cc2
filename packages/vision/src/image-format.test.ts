import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sniffImageFormat } from './image-format.js';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

describe('sniffImageFormat', () => {
  it('recognises the accepted containers by their leading bytes', () => {
    const cases: [Buffer, string][] = [
      [bytes([0xff, 0xd8, 0xff, 0xe0]), 'jpeg'],
      [bytes([0x89], 'PNG\r\n\x1a\n'), 'png'],
      [bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'webp'],
      [bytes('GIF89a'), 'gif'],
      [bytes('GIF87a'), 'gif'],
      [bytes('II*\0'), 'tiff'],
      [bytes('MM\0*'), 'tiff'],
      [bytes([0, 0, 0, 0x1c], 'ftypavif', [0, 0, 0, 0], 'avifmif1miaf'), 'avif'],
      [bytes([0, 0, 0, 0x1c], 'ftypmif1', [0, 0, 0, 0], 'mif1avifmiaf'), 'avif'],
    ];
    for (const [input, format] of cases) assert.deepEqual(sniffImageFormat(input), { supported: true, format });
  });

  it('explains what it refuses', () => {
    const hint = (input: Buffer) => {
      const result = sniffImageFormat(input);
      assert.equal(result.supported, false);
      return result.supported ? '' : result.hint;
    };
    assert.match(hint(bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic')), /HEIC/);
    assert.match(hint(bytes('<?xml version="1.0"?><svg>')), /SVG/);
    assert.match(hint(bytes('BM', [0, 0, 0, 0])), /BMP/);
    assert.match(hint(bytes('%PDF-1.4')), /PDF/);
    assert.match(hint(bytes('\x00\x01')), /unrecognised leading bytes 0001/);
    assert.match(hint(Buffer.alloc(0)), /\(none\)/);
  });
});
