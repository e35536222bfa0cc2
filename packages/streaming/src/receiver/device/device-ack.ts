/**
 * The device receiver's acknowledgement (DeviceReceiver option `acknowledge`, Unix sockets
 * only): 8 bytes written back to the device, the word "SACK" and the sequence number
 * (uint32 big-endian) of the last good frame now stored for good (in the write-ahead log
 * when it is on). A device keeps its frames until they are acknowledged, as a DMA ring
 * keeps its slots until the host moves the read pointer past them, and sends the rest
 * again when the receiver reconnects; so a driver that dies loses nothing.
 */
export const DEVICE_ACK_WORD = 0x5341434b; // "SACK"
export const DEVICE_ACK_BYTES = 8;

export function encodeDeviceAck(seq: number): Buffer {
  const buf = Buffer.alloc(DEVICE_ACK_BYTES);
  buf.writeUInt32BE(DEVICE_ACK_WORD, 0);
  buf.writeUInt32BE(seq >>> 0, 4);
  return buf;
}

/**
 * Reads the acknowledgements in a byte stream from the receiver, keeping a partial one
 * for the next chunk. Throws on bytes that are not an acknowledgement: the receiver
 * writes nothing else.
 */
export class DeviceAckReader {
  private pending = Buffer.alloc(0);

  push(chunk: Buffer): number[] {
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const seqs: number[] = [];
    let at = 0;
    for (; at + DEVICE_ACK_BYTES <= buf.length; at += DEVICE_ACK_BYTES) {
      const word = buf.readUInt32BE(at);
      if (word !== DEVICE_ACK_WORD) throw new Error(`not a device acknowledgement at byte ${at}: word 0x${word.toString(16).padStart(8, '0')}`);
      seqs.push(buf.readUInt32BE(at + 4));
    }
    this.pending = Buffer.from(buf.subarray(at));
    return seqs;
  }
}
