import type { FramerOptions } from './framer';
import { HeaderFramer } from './header-framer';

/**
 * The image frame of the Analytics Zoo streaming example: a 28-byte image name (UTF-8,
 * zero-padded), a 4-byte big-endian length, then the image bytes. The framer keeps the
 * header in the record so the decoder can recover the name.
 */
export const IMAGE_NAME_BYTES = 28;
export const IMAGE_HEADER_BYTES = IMAGE_NAME_BYTES + 4;

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
}

/** Splits a record produced by ImageFrameFramer into its name and image bytes. */
export function decodeImageFrame(record: Buffer): ImageRecord {
  let nameEnd = record.indexOf(0);
  if (nameEnd === -1 || nameEnd > IMAGE_NAME_BYTES) nameEnd = IMAGE_NAME_BYTES;
  return {
    name: record.toString('utf8', 0, nameEnd),
    bytes: record.subarray(IMAGE_HEADER_BYTES),
  };
}

/** Encodes one image frame; names longer than 28 bytes are cut at a character boundary. */
export function encodeImageFrame(name: string, bytes: Uint8Array): Buffer {
  const frame = Buffer.alloc(IMAGE_HEADER_BYTES + bytes.length);
  let nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > IMAGE_NAME_BYTES) {
    let cut = IMAGE_NAME_BYTES;
    // Step back over UTF-8 continuation bytes (10xxxxxx) so no character is split.
    while (cut > 0 && (nameBytes[cut]! & 0xc0) === 0x80) cut--;
    nameBytes = nameBytes.subarray(0, cut);
  }
  nameBytes.copy(frame, 0);
  frame.writeUInt32BE(bytes.length, IMAGE_NAME_BYTES);
  frame.set(bytes, IMAGE_HEADER_BYTES);
  return frame;
}
