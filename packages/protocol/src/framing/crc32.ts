/**
 * CRC-32 as zlib, Ethernet and PNG compute it (IEEE 802.3: reflected polynomial
 * 0xEDB88320, initial value and final xor 0xFFFFFFFF). Node's native zlib.crc32 (from
 * Node 20.15 and 22.2) is used when present: it runs several times faster. Older Nodes
 * get slicing-by-8, where eight 256-entry tables let each step fold in eight bytes with
 * eight independent lookups; a byte-at-a-time loop would dominate the device framer.
 */
import * as zlib from 'node:zlib';

type NativeCrc32 = (data: Uint8Array, value?: number) => number;
const nativeCrc32 = (zlib as unknown as { crc32?: NativeCrc32 }).crc32;

const POLYNOMIAL = 0xedb88320;

/** TABLES[k * 256 + b]: the CRC of byte b followed by k zero bytes. */
const TABLES = buildTables();

function buildTables(): Int32Array {
  const tables = new Int32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    tables[b] = c;
  }
  for (let b = 0; b < 256; b++) {
    let c = tables[b]!;
    for (let k = 1; k < 8; k++) {
      c = tables[c & 0xff]! ^ (c >>> 8);
      tables[k * 256 + b] = c;
    }
  }
  return tables;
}

/** CRC-32 of bytes [start, end) of buf, as an unsigned 32-bit number. */
export function crc32(buf: Uint8Array, start = 0, end = buf.length): number {
  return crc32Update(0, buf, start, end);
}

/**
 * Continues a CRC-32: crc32Update(crc32(a), b) === crc32(a followed by b), so a payload
 * that arrives in pieces can be checked without joining them first.
 */
export function crc32Update(crc: number, buf: Uint8Array, start = 0, end = buf.length): number {
  if (start < 0 || end > buf.length || start > end) {
    throw new RangeError(`crc32: range [${start}, ${end}) is outside a buffer of ${buf.length} bytes`);
  }
  if (nativeCrc32) return nativeCrc32(start === 0 && end === buf.length ? buf : buf.subarray(start, end), crc >>> 0);
  return crc32Portable(crc, buf, start, end);
}

/** The slicing-by-8 implementation, for Nodes without zlib.crc32 (exported for tests). */
export function crc32Portable(crc: number, buf: Uint8Array, start = 0, end = buf.length): number {
  const t = TABLES;
  let c = ~crc;
  let i = start;
  const last8 = end - 8;
  while (i <= last8) {
    const lo = c ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
    const hi = buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24);
    c =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + (hi & 0xff)]! ^
      t[512 + ((hi >>> 8) & 0xff)]! ^
      t[256 + ((hi >>> 16) & 0xff)]! ^
      t[hi >>> 24]!;
    i += 8;
  }
  while (i < end) c = t[(c ^ buf[i++]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
