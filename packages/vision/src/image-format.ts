/**
 * Recognises image containers by their leading bytes, before any decoder sees them.
 *
 * Sniffing first lets us (a) refuse formats we do not accept (SVG, PDF, HEIC, ...)
 * without handing them to a parser at all, and (b) tell "this is not an image" apart
 * from "this is a PNG/TIFF whose data is damaged", which libvips reports with the
 * same "unsupported image format" message for some truncated files.
 */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif';

export const SUPPORTED_FORMATS: readonly ImageFormat[] = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif'];

export type SniffResult =
  | { supported: true; format: ImageFormat }
  | { supported: false; hint: string };

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let text = '';
  for (let i = start; i < start + length && i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((value, i) => bytes[offset + i] === value);
}

/** ISO-BMFF brands (major + compatible) from the leading `ftyp` box, if there is one. */
function isoBrands(bytes: Uint8Array): string[] {
  if (ascii(bytes, 4, 4) !== 'ftyp') return [];
  const boxSize = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const end = Math.min(bytes.length, Math.max(16, boxSize));
  const brands = [ascii(bytes, 8, 4)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(bytes, at, 4));
  return brands;
}

export function sniffImageFormat(bytes: Uint8Array): SniffResult {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { supported: true, format: 'jpeg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { supported: true, format: 'png' };
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return { supported: true, format: 'webp' };
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return { supported: true, format: 'gif' };
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { supported: true, format: 'tiff' };
  }
  const brands = isoBrands(bytes);
  if (brands.includes('avif') || brands.includes('avis')) return { supported: true, format: 'avif' };
  if (brands.some((b) => ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(b))) {
    return { supported: false, hint: 'HEIC/HEIF (HEVC-coded) images are not supported' };
  }
  return { supported: false, hint: describeUnknown(bytes) };
}

function describeUnknown(bytes: Uint8Array): string {
  if (ascii(bytes, 0, 2) === 'BM') return 'BMP is not supported';
  if (ascii(bytes, 0, 5) === '%PDF-') return 'PDF is not accepted';
  if (ascii(bytes, 0, 256).toLowerCase().includes('<svg')) return 'SVG is not accepted';
  return `unrecognised leading bytes ${Buffer.from(bytes.subarray(0, 8)).toString('hex') || '(none)'}`;
}
