import { DEVICE_HEADER_BYTES, DEVICE_SYNC_WORD } from '@sluice/protocol';

/** A device frame as a record, when the receiver keeps sequence numbers (`withSequence`). */
export interface DeviceFrameRecord {
  /** The frame's sequence number, as the device wrote it. */
  seq: number;
  payload: Buffer;
}

/**
 * Where the bytes of a frame stored with its sequence number are: the receiver stores the
 * whole frame, header included, and the decoder reads the header's sequence number back.
 * Frames that arrived inside one chunk are already laid out that way in the chunk, with
 * the header the framer has just checked right before the payload: they are stored as a
 * view, without a copy. A frame whose payload the framer had to assemble from several
 * chunks has no header in front of it and is copied once, behind a new header.
 */
export function frameWithHeader(seq: number, buf: Buffer, start: number, end: number): { buf: Buffer; start: number; end: number } {
  if (start >= DEVICE_HEADER_BYTES && headerPrecedes(seq, buf, start, end)) {
    return { buf, start: start - DEVICE_HEADER_BYTES, end };
  }
  const frame = Buffer.allocUnsafe(DEVICE_HEADER_BYTES + (end - start));
  frame.writeUInt32BE(DEVICE_SYNC_WORD, 0);
  frame.writeUInt32BE(seq, 4);
  frame.writeUInt32BE(end - start, 8);
  // The CRC was checked by the framer and nothing reads it again: a copy does not recompute it.
  frame.writeUInt32BE(0, 12);
  buf.copy(frame, DEVICE_HEADER_BYTES, start, end);
  return { buf: frame, start: 0, end: frame.length };
}

function headerPrecedes(seq: number, buf: Buffer, start: number, end: number): boolean {
  const at = start - DEVICE_HEADER_BYTES;
  return buf.readUInt32BE(at) === DEVICE_SYNC_WORD && buf.readUInt32BE(at + 4) === seq && buf.readUInt32BE(at + 8) === end - start;
}

/** decodeFrame for frames stored with their header (runs on executors). */
export function decodeDeviceFrameRecord(bytes: Buffer): DeviceFrameRecord {
  return { seq: bytes.readUInt32BE(4), payload: bytes.subarray(DEVICE_HEADER_BYTES) };
}
