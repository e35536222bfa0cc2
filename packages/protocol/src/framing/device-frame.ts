import { crc32 } from './crc32.js';
import {
  DEFAULT_MAX_FRAME_BYTES,
  type FrameFaultKind,
  type FrameSink,
  type Framer,
  type FramerOptions,
} from './framer.js';

/**
 * The device frame: the framing of FPGA and NIC pipelines, which stream frames over a
 * FIFO or socket with no connection reset to fall back on. Every frame starts with a
 * sync word, so a receiver that lands mid-stream or meets corrupt bytes finds the next
 * frame by searching for it; the CRC tells real frames from sync words that appear by
 * chance; the sequence number tells how many frames were lost.
 *
 *   offset  size  field
 *        0     4  sync word 0x53 0x4C 0x43 0x45 ("SLCE")
 *        4     4  sequence number, uint32 big-endian, +1 per frame, wrapping at 2^32
 *        8     4  payload length, uint32 big-endian
 *       12     4  CRC-32 (IEEE, as zlib) of the payload, uint32 big-endian
 *       16     n  payload
 */

/** "SLCE" as a big-endian uint32. No proper prefix of it is also a suffix of it, so a
 * partial sync word at the end of a chunk never hides the start of another one. */
export const DEVICE_SYNC_WORD = 0x534c4345;
export const DEVICE_HEADER_BYTES = 16;

const SYNC = Buffer.from([0x53, 0x4c, 0x43, 0x45]);
const S0 = SYNC[0]!;
const S1 = SYNC[1]!;
const S2 = SYNC[2]!;
const S3 = SYNC[3]!;
const SYNC_BYTES = SYNC.length;
/** How many bytes of a new chunk are joined to a partial header left by the previous one:
 * enough to complete any header, few enough that the join costs nothing. */
const JOIN_BYTES = DEVICE_HEADER_BYTES;

/**
 * Encodes one device frame. `crc` is the checksum written into the header; only fault
 * injection (tests, the sender's --bad-crc) passes anything but the payload's own.
 */
export function encodeDeviceFrame(seq: number, payload: Uint8Array, crc: number = crc32(payload)): Buffer {
  const frame = Buffer.allocUnsafe(DEVICE_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(DEVICE_SYNC_WORD, 0);
  frame.writeUInt32BE(seq >>> 0, 4);
  frame.writeUInt32BE(payload.length, 8);
  frame.writeUInt32BE(crc >>> 0, 12);
  frame.set(payload, DEVICE_HEADER_BYTES);
  return frame;
}

/**
 * Cuts a device byte stream into payloads. Records are the payloads alone (the header is
 * checked and dropped); `sequence` gives the current record's sequence number.
 *
 * Faults, each reported once and never thrown:
 *  - 'garbage': a run of bytes that is not a frame, skipped while searching for the next
 *    sync word; count = bytes skipped, one fault per run.
 *  - 'oversized': a header announcing more than maxFrameBytes. Nothing is buffered: the
 *    search goes on from the byte after its sync word (the payload, if it was real, then
 *    shows up as garbage).
 *  - 'bad-crc': a complete frame whose payload does not match its CRC. The search goes
 *    on from the byte after its sync word, not after the frame: if the corruption hit the
 *    length, the frames the bogus length swallowed are still found and delivered.
 *  - 'truncated': the stream ended after a sync word but before the end of its frame.
 *    Its bytes are also searched for complete frames, for the same reason as above.
 *  - 'sequence-gap': a delivered frame whose sequence number is ahead of the previous
 *    one's + 1; count = frames missing. A frame corrupted in transit is both a 'bad-crc'
 *    and, once the next good frame arrives, a missing sequence number. A sequence number
 *    that goes backwards (or repeats) is taken to be the device restarting its counter:
 *    it is reported as a 'sequence-gap' with count 0, since no frames are known to be
 *    missing, and counting continues from the new number.
 *
 * Bytes searched again after a rejected frame are not reported twice: faults that start
 * inside bytes already reported (a phantom header inside a bad frame's payload, the rest
 * of a bad frame's header) are suppressed, until a good frame proves where the stream
 * really is. Sequence gaps are always reported.
 *
 * Frames that lie wholly inside one chunk are checked and delivered from the chunk
 * without copying; a payload that spans chunks is copied once into a buffer allocated
 * when its header is read.
 */
export class DeviceFramer implements Framer {
  /** A sync word lets this format recover from anything without a reset. */
  readonly needsReset: boolean = false;

  private readonly maxFrameBytes: number;
  private sink: FrameSink | null = null;

  /** Stream offset of the next pushed chunk. */
  private received = 0;

  /** The tail of the previous chunk when it may start a frame: a partial sync word or header. */
  private readonly pending = Buffer.alloc(DEVICE_HEADER_BYTES);
  private pendingLength = 0;
  private pendingOffset = 0;

  /** The frame whose payload is being collected across chunks, if any. */
  private readonly header = Buffer.alloc(DEVICE_HEADER_BYTES);
  private payload: Buffer | null = null;
  private payloadFilled = 0;
  private frameOffset = 0;

  /** The run of skipped bytes not yet reported, [garbageStart, garbageEnd); start -1: none. */
  private garbageStart = -1;
  private garbageEnd = 0;
  /** Bytes before this offset are delivered or already reported: see the class comment. */
  private accountedUntil = 0;

  private hasSequence = false;
  private lastSequence = 0;

  constructor(options: FramerOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Sequence number of the frame most recently delivered: read it inside sink.record. */
  get sequence(): number {
    return this.lastSequence;
  }

  push(chunk: Buffer, sink: FrameSink): void {
    this.sink = sink;
    const base = this.received;
    this.received += chunk.length;
    this.feed(chunk, base);
  }

  end(sink: FrameSink): void {
    this.sink = sink;
    if (this.payload === null && this.pendingLength > 0 && this.pendingLength < SYNC_BYTES) {
      // A partial sync word is not yet a frame: the stream ended in garbage.
      this.skip(this.pendingOffset, this.pendingOffset + this.pendingLength);
      this.pendingLength = 0;
    }
    while (this.payload !== null || this.pendingLength > 0) {
      let unfinished: Buffer;
      let offset: number;
      if (this.payload !== null) {
        unfinished = Buffer.concat([this.header, this.payload.subarray(0, this.payloadFilled)]);
        offset = this.frameOffset;
        this.payload = null;
      } else {
        unfinished = Buffer.from(this.pending.subarray(0, this.pendingLength));
        offset = this.pendingOffset;
        this.pendingLength = 0;
      }
      this.report(
        'truncated',
        `stream ended ${unfinished.length} bytes into a frame`,
        offset,
        1,
        offset + unfinished.length,
      );
      // If the frame only looked unfinished because its length was corrupted, the frames
      // sent after it are inside these bytes.
      this.feed(unfinished.subarray(1), offset + 1);
      if (this.payload === null && this.pendingLength > 0 && this.pendingLength < SYNC_BYTES) {
        this.skip(this.pendingOffset, this.pendingOffset + this.pendingLength);
        this.pendingLength = 0;
      }
    }
    this.flushGarbage();
    this.startAfresh();
  }

  /** Processes buf, whose first byte is at stream offset base. */
  private feed(buf: Buffer, base: number): void {
    let i = 0;
    while (i < buf.length) {
      if (this.payload !== null) {
        const take = Math.min(this.payload.length - this.payloadFilled, buf.length - i);
        buf.copy(this.payload, this.payloadFilled, i, i + take);
        this.payloadFilled += take;
        i += take;
        if (this.payloadFilled === this.payload.length) this.finishPayload();
      } else if (this.pendingLength > 0) {
        const take = Math.min(buf.length - i, JOIN_BYTES);
        const joined = Buffer.allocUnsafe(this.pendingLength + take);
        this.pending.copy(joined, 0, 0, this.pendingLength);
        buf.copy(joined, this.pendingLength, i, i + take);
        const joinedBase = this.pendingOffset;
        this.pendingLength = 0;
        this.scan(joined, 0, joinedBase);
        i += take;
      } else {
        this.scan(buf, i, base);
        i = buf.length;
      }
    }
  }

  /**
   * Finds and handles frames in buf[from..], whose first byte is at stream offset base.
   * Leaves an unfinished frame in `pending` or `payload` for the next chunk.
   */
  private scan(buf: Buffer, from: number, base: number): void {
    const n = buf.length;
    let i = from;
    while (i < n) {
      const atSync = n - i >= SYNC_BYTES && buf[i] === S0 && buf[i + 1] === S1 && buf[i + 2] === S2 && buf[i + 3] === S3;
      if (!atSync) {
        const next = n - i >= SYNC_BYTES ? buf.indexOf(SYNC, i) : -1;
        if (next < 0) {
          const keep = syncPrefixAtEnd(buf, i, n);
          this.skip(base + i, base + n - keep);
          if (keep > 0) this.hold(buf, n - keep, n, base);
          return;
        }
        this.skip(base + i, base + next);
        i = next;
      }
      if (n - i < DEVICE_HEADER_BYTES) {
        this.hold(buf, i, n, base);
        return;
      }
      const length = buf.readUInt32BE(i + 8);
      if (length > this.maxFrameBytes) {
        this.report(
          'oversized',
          `frame header announces ${length} bytes, over maxFrameBytes (${this.maxFrameBytes})`,
          base + i,
          1,
          base + i + DEVICE_HEADER_BYTES,
        );
        i += 1;
        continue;
      }
      const payloadStart = i + DEVICE_HEADER_BYTES;
      const frameEnd = payloadStart + length;
      if (frameEnd > n) {
        this.beginPayload(buf, i, base, length);
        return;
      }
      const expectedCrc = buf.readUInt32BE(i + 12);
      const actualCrc = crc32(buf, payloadStart, frameEnd);
      if (actualCrc === expectedCrc) {
        this.deliver(buf.readUInt32BE(i + 4), buf, payloadStart, frameEnd, base + i);
        i = frameEnd;
      } else {
        this.rejectBadCrc(base + i, base + frameEnd, expectedCrc, actualCrc);
        i += 1;
      }
    }
  }

  private beginPayload(buf: Buffer, at: number, base: number, length: number): void {
    buf.copy(this.header, 0, at, at + DEVICE_HEADER_BYTES);
    this.frameOffset = base + at;
    this.payload = Buffer.allocUnsafe(length);
    this.payloadFilled = buf.copy(this.payload, 0, at + DEVICE_HEADER_BYTES);
  }

  private finishPayload(): void {
    const payload = this.payload!;
    this.payload = null;
    const frameEnd = this.frameOffset + DEVICE_HEADER_BYTES + payload.length;
    const expectedCrc = this.header.readUInt32BE(12);
    const actualCrc = crc32(payload);
    if (actualCrc === expectedCrc) {
      this.deliver(this.header.readUInt32BE(4), payload, 0, payload.length, this.frameOffset);
      return;
    }
    this.rejectBadCrc(this.frameOffset, frameEnd, expectedCrc, actualCrc);
    const afterSync = Buffer.concat([this.header.subarray(1), payload]);
    this.feed(afterSync, this.frameOffset + 1);
  }

  private deliver(seq: number, buf: Buffer, start: number, end: number, frameOffset: number): void {
    this.flushGarbage();
    if (this.hasSequence) this.checkSequence(seq, frameOffset);
    this.hasSequence = true;
    this.lastSequence = seq;
    // A good frame shows where the stream really is: whatever follows it is reported
    // afresh, even if it lies inside the span a rejected frame claimed.
    this.accountedUntil = frameOffset + DEVICE_HEADER_BYTES + (end - start);
    this.sink!.record(buf, start, end);
  }

  private checkSequence(seq: number, frameOffset: number): void {
    const expected = (this.lastSequence + 1) >>> 0;
    if (seq === expected) return;
    const missing = (seq - expected) >>> 0;
    if (missing < 0x80000000) {
      this.sink!.fault({
        kind: 'sequence-gap',
        message: `${missing} frame(s) missing: sequence jumped from ${this.lastSequence} to ${seq}`,
        offset: frameOffset,
        count: missing,
      });
    } else {
      this.sink!.fault({
        kind: 'sequence-gap',
        message: `sequence went back from ${this.lastSequence} to ${seq}: the device restarted or repeated frames`,
        offset: frameOffset,
        count: 0,
      });
    }
  }

  private rejectBadCrc(offset: number, end: number, expected: number, actual: number): void {
    this.report(
      'bad-crc',
      `frame of ${end - offset - DEVICE_HEADER_BYTES} bytes: CRC ${hex(actual)} does not match header ${hex(expected)}`,
      offset,
      1,
      end,
    );
  }

  /** Reports a fault spanning [offset, end) unless it starts inside bytes already accounted for. */
  private report(kind: FrameFaultKind, message: string, offset: number, count: number, end: number): void {
    if (offset < this.accountedUntil) return;
    this.flushGarbage();
    this.sink!.fault({ kind, message, offset, count });
    this.accountedUntil = end;
  }

  /** Records that bytes [start, end) of the stream were skipped while searching for a frame. */
  private skip(start: number, end: number): void {
    if (start < this.accountedUntil) start = this.accountedUntil;
    if (start >= end) return;
    if (this.garbageStart >= 0 && this.garbageEnd === start) {
      this.garbageEnd = end;
      return;
    }
    this.flushGarbage();
    this.garbageStart = start;
    this.garbageEnd = end;
  }

  private flushGarbage(): void {
    if (this.garbageStart < 0) return;
    const count = this.garbageEnd - this.garbageStart;
    const offset = this.garbageStart;
    this.garbageStart = -1;
    this.accountedUntil = Math.max(this.accountedUntil, this.garbageEnd);
    this.sink!.fault({ kind: 'garbage', message: `skipped ${count} bytes that are not a frame`, offset, count });
  }

  private hold(buf: Buffer, start: number, end: number, base: number): void {
    this.pendingLength = buf.copy(this.pending, 0, start, end);
    this.pendingOffset = base + start;
  }

  private startAfresh(): void {
    this.received = 0;
    this.pendingLength = 0;
    this.payload = null;
    this.payloadFilled = 0;
    this.garbageStart = -1;
    this.accountedUntil = 0;
    this.hasSequence = false;
    this.lastSequence = 0;
    this.sink = null;
  }
}

/** Length of the longest tail of buf[from, end) (at most 3 bytes) that begins a sync word. */
function syncPrefixAtEnd(buf: Buffer, from: number, end: number): number {
  for (let k = Math.min(SYNC_BYTES - 1, end - from); k > 0; k--) {
    let match = true;
    for (let j = 0; j < k; j++) {
      if (buf[end - k + j] !== SYNC[j]) {
        match = false;
        break;
      }
    }
    if (match) return k;
  }
  return 0;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
