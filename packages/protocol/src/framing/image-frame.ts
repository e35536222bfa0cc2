import type { FramerOptions } from './framer.js';
import { HeaderFramer } from './header-framer.js';

/**
 * The image frame of the Analytics Zoo streaming example: a 28-byte image name (UTF-8,
 * zero-padded), a 4-byte big-endian length, then the image bytes. The framer keeps the
 * header in the record so the decoder can recover the name.
 *
 * A name longer than 28 bytes does not fit. The long-name variant carries it whole: the
 * name field starts with LONG_NAME_MARK (0xFF, a byte UTF-8 never uses, so no classic
 * name starts with it), then the name's length in bytes (2 bytes, big-endian), then
 * zeros; the body is the name followed by the image bytes, and the length field counts
 * both. Frames of names shorter than the field are the classic frame, byte for byte; a
 * receiver that knows only the classic frame would take a long-name frame's name and
 * bytes wrongly. A name of exactly 28 bytes goes in a long-name frame too: a classic
 * frame whose name fills its field is how a receiver tells that the sender may have cut
 * a longer name, which a sender of long-name frames never does.
 */
export const IMAGE_NAME_BYTES = 28;
export const IMAGE_HEADER_BYTES = IMAGE_NAME_BYTES + 4;
export const LONG_NAME_MARK = 0xff;
/** The longest name a long-name frame carries (file names are at most 255 bytes on common file systems). */
export const MAX_LONG_NAME_BYTES = 4096;

export class ImageFrameFramer extends HeaderFramer {
  constructor(options: FramerOptions = {}) {
    super(IMAGE_HEADER_BYTES, true, options);
  }

  protected bodyLength(header: Buffer, at: number): number {
    return header.readUInt32BE(at + IMAGE_NAME_BYTES);
  }
}

export interface ImageRecord {
  name: string;
  bytes: Buffer;
  /**
   * A classic frame whose name fills all 28 bytes of its field: the sender may have cut
   * a longer name to fit (a long-name frame carries it whole).
   */
  nameMayBeCut?: boolean;
}

/** Splits a record produced by ImageFrameFramer (classic or long-name) into its name and image bytes. */
export function decodeImageFrame(record: Buffer): ImageRecord {
  if (record[0] === LONG_NAME_MARK && record.length >= IMAGE_HEADER_BYTES) {
    // A length beyond the body is a broken frame: what there is becomes the name, the image is empty (and fails to decode).
    const nameEnd = Math.min(record.length, IMAGE_HEADER_BYTES + record.readUInt16BE(1));
    return { name: record.toString('utf8', IMAGE_HEADER_BYTES, nameEnd), bytes: record.subarray(nameEnd) };
  }
  let nameEnd = record.indexOf(0);
  const full = nameEnd === -1 || nameEnd >= IMAGE_NAME_BYTES;
  if (full) nameEnd = IMAGE_NAME_BYTES;
  const image: ImageRecord = { name: record.toString('utf8', 0, nameEnd), bytes: record.subarray(IMAGE_HEADER_BYTES) };
  if (full) image.nameMayBeCut = true;
  return image;
}

/** Whether a name fits the classic frame's 28-byte field whole. */
export function imageNameFits(name: string): boolean {
  return Buffer.byteLength(name, 'utf8') <= IMAGE_NAME_BYTES;
}

/**
 * Whether a sender of long-name frames sends this name (a string, or its UTF-8 bytes) in
 * one: a name of 28 bytes or more (see above).
 */
export function takesLongNameFrame(name: string | Buffer): boolean {
  return (typeof name === 'string' ? Buffer.byteLength(name, 'utf8') : name.length) >= IMAGE_NAME_BYTES;
}

/** The name as a classic frame holds it: cut to 28 bytes at a character boundary. */
export function cutImageName(name: string): string {
  return cutName(Buffer.from(name, 'utf8')).toString('utf8');
}

/**
 * Encodes one image frame. A name longer than 28 bytes is cut at a character boundary,
 * or, with `longNames`, sent whole in a long-name frame, as is one of exactly 28 bytes
 * (see above).
 */
export function encodeImageFrame(name: string, bytes: Uint8Array, options: { longNames?: boolean } = {}): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (options.longNames && takesLongNameFrame(nameBytes)) {
    if (nameBytes.length > MAX_LONG_NAME_BYTES) throw new Error(`image name of ${nameBytes.length} bytes is over ${MAX_LONG_NAME_BYTES}: ${name.slice(0, 40)}...`);
    const frame = Buffer.alloc(IMAGE_HEADER_BYTES + nameBytes.length + bytes.length);
    frame[0] = LONG_NAME_MARK;
    frame.writeUInt16BE(nameBytes.length, 1);
    frame.writeUInt32BE(nameBytes.length + bytes.length, IMAGE_NAME_BYTES);
    nameBytes.copy(frame, IMAGE_HEADER_BYTES);
    frame.set(bytes, IMAGE_HEADER_BYTES + nameBytes.length);
    return frame;
  }
  const frame = Buffer.alloc(IMAGE_HEADER_BYTES + bytes.length);
  cutName(nameBytes).copy(frame, 0);
  frame.writeUInt32BE(bytes.length, IMAGE_NAME_BYTES);
  frame.set(bytes, IMAGE_HEADER_BYTES);
  return frame;
}

function cutName(nameBytes: Buffer): Buffer {
  if (nameBytes.length <= IMAGE_NAME_BYTES) return nameBytes;
  let cut = IMAGE_NAME_BYTES;
  // Step back over UTF-8 continuation bytes (10xxxxxx) so no character is split.
  while (cut > 0 && (nameBytes[cut]! & 0xc0) === 0x80) cut--;
  return nameBytes.subarray(0, cut);
}
