import type { FramerOptions } from './framer.js';
import { HeaderFramer } from './header-framer.js';

/** Frames of a 4-byte big-endian unsigned length followed by that many bytes. */
export class LengthPrefixedFramer extends HeaderFramer {
  constructor(options: FramerOptions = {}) {
    super(4, false, options);
  }

  protected bodyLength(header: Buffer, at: number): number {
    return header.readUInt32BE(at);
  }
}

/** Encodes one length-prefixed frame. */
export function encodeLengthPrefixed(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(4 + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.set(payload, 4);
  return frame;
}
