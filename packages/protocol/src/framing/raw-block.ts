/**
 * The raw block: many records serialized by the sender as one unit, for rawSocketStream.
 * On the wire it is a length-prefixed frame whose body is
 *
 *   uint32 BE  record count N
 *   uint32 BE  length of record 0 .. N-1
 *   bytes      the records, back to back
 *
 * The receiver stores the body as one block, as it arrives: no record is copied or
 * looked at on the driver.
 */
export function encodeRawBlock(records: Uint8Array[]): Buffer {
  let bytes = 0;
  for (const r of records) bytes += r.length;
  const headerBytes = 4 + 4 * records.length;
  const frame = Buffer.allocUnsafe(4 + headerBytes + bytes);
  frame.writeUInt32BE(headerBytes + bytes, 0);
  frame.writeUInt32BE(records.length, 4);
  let pos = 8;
  for (const r of records) {
    frame.writeUInt32BE(r.length, pos);
    pos += 4;
  }
  for (const r of records) {
    frame.set(r, pos);
    pos += r.length;
  }
  return frame;
}

/** Start/end pairs of the records inside a raw block body; throws on an impossible one. */
export function rawBlockOffsets(body: Buffer): Uint32Array {
  if (body.length < 4) throw new RangeError(`raw block of ${body.length} bytes has no record count`);
  const count = body.readUInt32BE(0);
  const headerBytes = 4 + 4 * count;
  if (count > (body.length - 4) / 4) throw new RangeError(`raw block claims ${count} records but has only ${body.length} bytes`);
  const offsets = new Uint32Array(2 * count);
  let pos = headerBytes;
  for (let i = 0; i < count; i++) {
    const len = body.readUInt32BE(4 + 4 * i);
    offsets[2 * i] = pos;
    pos += len;
    offsets[2 * i + 1] = pos;
  }
  if (pos !== body.length) {
    throw new RangeError(`raw block record lengths add up to ${pos - headerBytes} bytes but the block carries ${body.length - headerBytes}`);
  }
  return offsets;
}
