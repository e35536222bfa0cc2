/**
 * Test inputs made on the fly with sharp, so the tests depend on no files on disk.
 */
import { crc32 } from '@sluice/protocol';
import sharp from 'sharp';

const SCENE_SVG = (width: number, height: number) => `
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#1e5aa8"/><stop offset="1" stop-color="#f4c542"/>
    </linearGradient>
  </defs>
  <rect width="${width}" height="${height}" fill="url(#sky)"/>
  <circle cx="${width * 0.3}" cy="${height * 0.4}" r="${Math.min(width, height) * 0.2}" fill="#d13b2f"/>
  <rect x="${width * 0.55}" y="${height * 0.5}" width="${width * 0.3}" height="${height * 0.35}" fill="#2f9e44"/>
  <polygon points="${width * 0.1},${height * 0.95} ${width * 0.5},${height * 0.6} ${width * 0.9},${height * 0.95}" fill="#5c3c92"/>
</svg>`;

/** A colourful synthetic picture (gradient and shapes) as an un-encoded sharp pipeline. */
export function scene(width = 320, height = 240): sharp.Sharp {
  return sharp(Buffer.from(SCENE_SVG(width, height)));
}

/** A red square on a fully transparent background (RGBA). */
export function redSquareOnTransparent(width = 200, height = 200): sharp.Sharp {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect x="${width / 4}" y="${height / 4}" width="${width / 2}" height="${height / 2}" fill="#ff0000"/></svg>`;
  return sharp(Buffer.from(svg)).ensureAlpha();
}

/** Stored image: left half red, right half blue. */
export function leftRedRightBlue(width = 200, height = 100): sharp.Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3;
      if (x < width / 2) pixels[at] = 255;
      else pixels[at + 2] = 255;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

/** Every container and pixel layout the decoder promises to handle, keyed by a label. */
export async function imageVariants(): Promise<Record<string, Buffer>> {
  // Opaque RGB master (SVG renders with an alpha channel; drop it).
  const png = await scene().flatten({ background: '#ffffff' }).png().toBuffer();
  const from = () => sharp(png);
  const withAlpha = await redSquareOnTransparent().png().toBuffer();
  return {
    'jpeg': await from().jpeg().toBuffer(),
    'progressive jpeg': await from().jpeg({ progressive: true }).toBuffer(),
    'png': png,
    'webp': await from().webp().toBuffer(),
    'gif': await from().gif().toBuffer(),
    'tiff': await from().tiff().toBuffer(),
    'avif': await from().resize(64, 48).avif({ effort: 0 }).toBuffer(),
    'greyscale jpeg': await from().greyscale().jpeg().toBuffer(),
    'greyscale png': await from().toColourspace('b-w').png().toBuffer(),
    'greyscale png with alpha': await sharp(withAlpha).toColourspace('b-w').png().toBuffer(),
    'png with alpha': withAlpha,
    'webp with alpha': await sharp(withAlpha).webp({ lossless: true }).toBuffer(),
    'cmyk jpeg': await from().toColourspace('cmyk').jpeg().toBuffer(),
    '16-bit png': await from().toColourspace('rgb16').png().toBuffer(),
    'tiny 1x1 png': await sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } }).png().toBuffer(),
    'tall 30x900 jpeg': await scene(30, 900).jpeg().toBuffer(),
  };
}

/**
 * A valid 1x1 PNG whose header is rewritten to declare width x height: decoders must
 * refuse it by its declared size (the classify demo sends one as a broken file).
 */
export async function pngDeclaring(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer());
  // Signature (8) + IHDR length (4) + "IHDR" (4), then width and height; the CRC
  // covers the chunk type and its 13 data bytes.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/** A baseline JPEG whose frame header (SOF0) declares width x height. */
export async function jpegDeclaring(width: number, height: number): Promise<Buffer> {
  const jpeg = Buffer.from(await scene(16, 16).jpeg().toBuffer());
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  if (sof < 0) throw new Error('no SOF0 marker in test JPEG');
  // Marker (2) + length (2) + precision (1), then height and width.
  jpeg.writeUInt16BE(height, sof + 5);
  jpeg.writeUInt16BE(width, sof + 7);
  return jpeg;
}

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
export function noise(length: number, seed = 0x9e3779b9): Buffer {
  const out = Buffer.alloc(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state & 0xff;
  }
  return out;
}

export function truncated(bytes: Buffer, keepFraction: number): Buffer {
  return bytes.subarray(0, Math.floor(bytes.length * keepFraction));
}
