import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pngDeclaring } from '@sluice/vision/test-support';
import sharp from 'sharp';
import { demoPicture, seededRandom } from './demo-pictures.js';
import type { Photo } from './demo-photos.js';

/** How each picture is stored, in turn: every container the classifier reads. */
const ENCODINGS: { ext: string; encode: (s: sharp.Sharp) => sharp.Sharp }[] = [
  { ext: 'jpg', encode: (s) => s.jpeg({ quality: 85 }) },
  { ext: 'png', encode: (s) => s.png() },
  { ext: 'webp', encode: (s) => s.webp({ quality: 80 }) },
  { ext: 'jpg', encode: (s) => s.jpeg({ progressive: true }) },
  { ext: 'gif', encode: (s) => s.gif() },
  { ext: 'tif', encode: (s) => s.tiff({ compression: 'lzw' }) },
  { ext: 'png', encode: (s) => s.greyscale().png() },
];

export interface BrokenImage {
  name: string;
  bytes: Buffer;
  /** The error kind the classifier reports for it. */
  kind: 'corrupt' | 'unsupported_format' | 'empty' | 'too_large';
}

/** The i-th demo picture, encoded; names are "07-skyline.gif". */
export async function renderPicture(i: number): Promise<{ name: string; bytes: Buffer }> {
  const picture = demoPicture(i);
  const encoding = ENCODINGS[i % ENCODINGS.length]!;
  // SVG renders with an alpha channel; a photo-like image has none.
  const bytes = await encoding.encode(sharp(Buffer.from(picture.svg)).flatten({ background: '#ffffff' })).toBuffer();
  return { name: `${String(i + 1).padStart(2, '0')}-${picture.theme}.${encoding.ext}`, bytes };
}

/**
 * Inputs that are not decodable images, one of each kind the classifier must survive:
 * a JPEG cut short, random bytes, an empty file, and a PNG whose header declares
 * 20,000 x 20,000 pixels (1.2 GB decoded; it must be refused from the header alone).
 */
export async function brokenImages(): Promise<BrokenImage[]> {
  const jpeg = (await renderPicture(0)).bytes;
  const noise = Buffer.alloc(4096);
  const rnd = seededRandom(42);
  for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(rnd() * 256);
  return [
    { name: 'broken-truncated.jpg', bytes: jpeg.subarray(0, Math.floor(jpeg.length * 0.4)), kind: 'corrupt' },
    { name: 'broken-noise.png', bytes: noise, kind: 'unsupported_format' },
    { name: 'broken-empty.jpg', bytes: Buffer.alloc(0), kind: 'empty' },
    { name: 'broken-huge.png', bytes: await pngDeclaring(20_000, 20_000), kind: 'too_large' },
  ];
}

/**
 * The i-th image the demo sends: photo i mod n, as shipped on the first pass and
 * re-encoded on later passes (WebP, progressive JPEG, TIFF, GIF), so the demo shows
 * every container the classifier reads. Names are "07-chelsea.webp".
 */
export async function demoImage(photos: readonly Photo[], i: number): Promise<{ name: string; bytes: Buffer }> {
  const photo = photos[i % photos.length]!;
  const pass = Math.floor(i / photos.length);
  const stem = photo.name.replace(/\.[^.]+$/, '');
  const label = String(i + 1).padStart(2, '0');
  if (pass === 0) return { name: `${label}-${photo.name}`, bytes: photo.bytes };
  const encoding = PHOTO_ENCODINGS[(pass - 1) % PHOTO_ENCODINGS.length]!;
  return { name: `${label}-${stem}.${encoding.ext}`, bytes: await encoding.encode(sharp(photo.bytes)).toBuffer() };
}

const PHOTO_ENCODINGS: { ext: string; encode: (s: sharp.Sharp) => sharp.Sharp }[] = [
  { ext: 'webp', encode: (s) => s.webp({ quality: 85 }) },
  { ext: 'jpg', encode: (s) => s.jpeg({ quality: 90, progressive: true }) },
  { ext: 'tif', encode: (s) => s.tiff({ compression: 'lzw' }) },
  { ext: 'gif', encode: (s) => s.gif() },
];

/** Writes `count` photos and the broken images into `dir`; returns every file name. */
export async function writeDemoImages(dir: string, photos: readonly Photo[], count: number): Promise<{ pictures: string[]; broken: BrokenImage[] }> {
  // All at once: sharp encodes on libuv's thread pool, so this uses every core.
  const images = await Promise.all(Array.from({ length: count }, (_, i) => demoImage(photos, i)));
  for (const { name, bytes } of images) await writeFile(join(dir, name), bytes);
  const pictures = images.map((r) => r.name);
  const broken = await brokenImages();
  for (const b of broken) await writeFile(join(dir, b.name), b.bytes);
  return { pictures, broken };
}
