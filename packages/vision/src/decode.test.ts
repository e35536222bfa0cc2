import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import { decodeImage, type DecodedImage } from './decode.js';
import { ImageDecodeError, type ImageErrorKind } from './errors.js';
import {
  imageVariants,
  jpegDeclaring,
  leftRedRightBlue,
  noise,
  pngDeclaring,
  redSquareOnTransparent,
  scene,
  truncated,
} from './test-support/images.js';

const SIZE = { width: 224, height: 224 };

function pixel(image: DecodedImage, x: number, y: number): [number, number, number] {
  const at = (y * image.width + x) * 3;
  return [image.data[at]!, image.data[at + 1]!, image.data[at + 2]!];
}

function assertColour(actual: [number, number, number], expected: [number, number, number], where: string): void {
  const off = actual.map((v, i) => Math.abs(v - expected[i]!));
  assert.ok(Math.max(...off) <= 40, `${where}: expected about rgb(${expected.join()}), got rgb(${actual.join()})`);
}

async function decodeError(bytes: unknown, options: Parameters<typeof decodeImage>[1] = SIZE): Promise<ImageDecodeError> {
  try {
    await decodeImage(bytes as Buffer, options);
  } catch (error) {
    assert.ok(error instanceof ImageDecodeError, `expected ImageDecodeError, got ${String(error)}`);
    return error;
  }
  assert.fail('decodeImage accepted input it should have refused');
}

async function assertRefused(bytes: unknown, kind: ImageErrorKind, messageStart: string | RegExp): Promise<void> {
  const error = await decodeError(bytes);
  assert.equal(error.kind, kind, error.message);
  if (typeof messageStart === 'string') assert.ok(error.message.startsWith(messageStart), error.message);
  else assert.match(error.message, messageStart);
}

describe('decodeImage: formats and pixel layouts', () => {
  let variants: Record<string, Buffer>;
  before(async () => {
    variants = await imageVariants();
  });

  it('turns every variant into exactly 224*224*3 bytes of RGB', async () => {
    assert.ok(Object.keys(variants).length >= 14);
    for (const [label, bytes] of Object.entries(variants)) {
      const image = await decodeImage(bytes, SIZE);
      assert.equal(image.data.length, 224 * 224 * 3, label);
      assert.equal(image.channels, 3, label);
      assert.deepEqual([image.width, image.height], [224, 224], label);
    }
  });

  it('accepts a plain Uint8Array as well as a Buffer', async () => {
    const bytes = variants['png']!;
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    assert.deepEqual((await decodeImage(view, SIZE)).data, (await decodeImage(bytes, SIZE)).data);
  });

  it('reports the container it decoded', async () => {
    const expected: Record<string, string> = {
      'jpeg': 'jpeg', 'png': 'png', 'webp': 'webp', 'gif': 'gif', 'tiff': 'tiff', 'avif': 'avif', 'cmyk jpeg': 'jpeg',
    };
    for (const [label, format] of Object.entries(expected)) {
      assert.equal((await decodeImage(variants[label]!, SIZE)).source.format, format, label);
    }
  });

  it('resizes to any requested input size, e.g. 299x299 for InceptionV3', async () => {
    const image = await decodeImage(variants['jpeg']!, { width: 299, height: 299 });
    assert.equal(image.data.length, 299 * 299 * 3);
  });

  it('expands greyscale to three equal channels', async () => {
    for (const label of ['greyscale jpeg', 'greyscale png']) {
      const image = await decodeImage(variants[label]!, SIZE);
      for (const [x, y] of [[10, 10], [100, 150], [200, 30]] as const) {
        const [r, g, b] = pixel(image, x, y);
        assert.ok(r === g && g === b, `${label} at ${x},${y}: rgb(${r},${g},${b})`);
      }
    }
  });

  it('converts CMYK JPEG to sRGB with the colours kept', async () => {
    const red = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#e02020' } })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    assert.equal((await sharp(red).metadata()).space, 'cmyk');
    assertColour(pixel(await decodeImage(red, SIZE), 112, 112), [224, 32, 32], 'CMYK red');
  });

  it('reduces 16-bit PNG to the same 8-bit pixels as the 8-bit file', async () => {
    assert.equal((await sharp(variants['16-bit png']).metadata()).depth, 'ushort');
    const deep = await decodeImage(variants['16-bit png']!, SIZE);
    const plain = await decodeImage(variants['png']!, SIZE);
    let total = 0;
    for (let i = 0; i < plain.data.length; i++) total += Math.abs(deep.data[i]! - plain.data[i]!);
    assert.ok(total / plain.data.length < 2, `mean difference ${total / plain.data.length}`);
  });

  it('composites transparency over white by default, or over the given background', async () => {
    const png = await redSquareOnTransparent().png().toBuffer();
    const onWhite = await decodeImage(png, SIZE);
    assertColour(pixel(onWhite, 5, 5), [255, 255, 255], 'transparent corner');
    assertColour(pixel(onWhite, 112, 112), [255, 0, 0], 'opaque centre');
    const onBlack = await decodeImage(png, { ...SIZE, background: { r: 0, g: 0, b: 0 } });
    assertColour(pixel(onBlack, 5, 5), [0, 0, 0], 'transparent corner on black');
  });

  it("'fill' keeps the whole frame; 'cover' crops to the centre", async () => {
    // 400x100: red in the left quarter, blue elsewhere.
    const wide = await sharp({ create: { width: 400, height: 100, channels: 3, background: '#0000ff' } })
      .composite([{ input: { create: { width: 100, height: 100, channels: 3, background: '#ff0000' } }, left: 0, top: 0 }])
      .png()
      .toBuffer();
    const filled = await decodeImage(wide, { ...SIZE, fit: 'fill' });
    assertColour(pixel(filled, 20, 112), [255, 0, 0], 'fill, left edge');
    const covered = await decodeImage(wide, { ...SIZE, fit: 'cover' });
    assertColour(pixel(covered, 20, 112), [0, 0, 255], 'cover, left edge');
  });
});

describe('decodeImage: EXIF orientation', () => {
  it('applies orientation 6 (stored sideways): red left half ends up on top', async () => {
    const jpeg = await leftRedRightBlue(200, 100).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const image = await decodeImage(jpeg, SIZE);
    assert.equal(image.source.orientation, 6);
    assertColour(pixel(image, 112, 20), [255, 0, 0], 'top');
    assertColour(pixel(image, 112, 204), [0, 0, 255], 'bottom');
  });

  it('applies orientation 3 (stored upside down): red ends up on the right', async () => {
    const jpeg = await leftRedRightBlue(200, 100).jpeg().withMetadata({ orientation: 3 }).toBuffer();
    const image = await decodeImage(jpeg, SIZE);
    assertColour(pixel(image, 20, 112), [0, 0, 255], 'left');
    assertColour(pixel(image, 204, 112), [255, 0, 0], 'right');
  });
});

describe('decodeImage: refused inputs', () => {
  let jpeg: Buffer;
  before(async () => {
    jpeg = await scene(320, 240).jpeg().toBuffer();
  });

  it('empty input', async () => {
    await assertRefused(Buffer.alloc(0), 'empty', 'empty input (0 bytes)');
  });

  it('random bytes, text and other non-image data', async () => {
    await assertRefused(noise(4096), 'unsupported_format', 'not an image / unsupported format');
    await assertRefused(Buffer.from('{"hello": "world"}'), 'unsupported_format', 'not an image / unsupported format');
    await assertRefused(Buffer.from('%PDF-1.7\n'), 'unsupported_format', /PDF is not accepted/);
  });

  it('SVG, which sharp could render but we do not accept', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    await assertRefused(svg, 'unsupported_format', /SVG is not accepted/);
  });

  it('something that is not a byte buffer', async () => {
    await assertRefused(undefined, 'invalid_input', 'input is not a byte buffer');
    await assertRefused('a string', 'invalid_input', 'input is not a byte buffer');
  });

  it('truncated JPEG (instead of a partly grey image)', async () => {
    for (const keep of [0.3, 0.7, 0.98]) {
      await assertRefused(truncated(jpeg, keep), 'corrupt', 'truncated or corrupt image data');
    }
    // Only the end-of-image marker missing.
    await assertRefused(jpeg.subarray(0, jpeg.length - 2), 'corrupt', 'truncated or corrupt image data');
  });

  it('truncated PNG, WebP, GIF, TIFF and AVIF', async () => {
    const source = scene(320, 240).flatten({ background: '#fff' });
    const encoded = {
      png: await source.clone().png().toBuffer(),
      webp: await source.clone().webp().toBuffer(),
      gif: await source.clone().gif().toBuffer(),
      tiff: await source.clone().tiff().toBuffer(),
      avif: await source.clone().avif({ effort: 0 }).toBuffer(),
    };
    for (const [format, bytes] of Object.entries(encoded)) {
      const error = await decodeError(truncated(bytes, 0.6));
      assert.equal(error.kind, 'corrupt', `${format}: ${error.message}`);
    }
  });

  it("damaged JPEG scan data is refused with failOn: 'warning'", async () => {
    const damaged = Buffer.from(jpeg);
    damaged.fill(0, Math.floor(damaged.length * 0.6), damaged.length - 2);
    const error = await decodeError(damaged, { ...SIZE, failOn: 'warning' });
    assert.equal(error.kind, 'corrupt');
  });

  it('a 20000x20000 image, from its header alone, without allocating for it', async () => {
    const before = process.memoryUsage().rss;
    const started = performance.now();
    for (const bytes of [await pngDeclaring(20000, 20000), await jpegDeclaring(20000, 20000)]) {
      await assertRefused(bytes, 'too_large', 'image too large: 20000x20000 exceeds the 100000000-pixel limit');
    }
    const grewMb = (process.memoryUsage().rss - before) / 1e6;
    // Decoding it would need 1.2 GB for the pixels alone.
    assert.ok(grewMb < 64, `RSS grew by ${grewMb.toFixed(1)} MB`);
    assert.ok(performance.now() - started < 2000);
  });

  it('honours a configured pixel limit', async () => {
    const png = await pngDeclaring(3000, 2000);
    const error = await decodeError(png, { ...SIZE, maxInputPixels: 1_000_000 });
    assert.equal(error.kind, 'too_large');
    assert.equal(error.message, 'image too large: 3000x2000 exceeds the 1000000-pixel limit');
  });

  it('rejects nonsense target sizes as a programming error', async () => {
    await assert.rejects(decodeImage(jpeg, { width: 0, height: 224 }), RangeError);
  });
});
