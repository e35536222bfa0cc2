import { encodeDeviceFrame } from './protocol.js';
import { SeededRandom } from '@sluice/protocol';

/** What to inject, each a probability per frame except truncateLast. */
export interface DeviceFaults {
  /** A run of 1-64 garbage bytes before a frame. */
  garbage: number;
  /** A corrupted CRC field. */
  badCrc: number;
  /** 1-3 sequence numbers skipped before a frame, as if the device had lost those frames. */
  dropSeq: number;
  /** Cut the last frame short, as if the device had stopped mid-frame. */
  truncateLast: boolean;
}

/**
 * Exactly what was sent, in the units a DeviceFramer reports: the receiver should see
 * good_frames records, bad_crc 'bad-crc' faults, garbage_runs 'garbage' faults covering
 * garbage_bytes bytes, truncated 'truncated' faults, and 'sequence-gap' faults whose
 * counts add up to dropped_seq + bad_crc (a corrupted frame also leaves a gap).
 */
export interface DeviceSummary {
  frames_sent: number;
  good_frames: number;
  bad_crc: number;
  garbage_runs: number;
  garbage_bytes: number;
  dropped_seq: number;
  truncated: number;
}

const SYNC_BYTES = new Set([0x53, 0x4c, 0x43, 0x45]);

/**
 * A device's output with faults injected, reproducible from its seed. Every injected
 * fault is one a receiver can detect: the first and the last whole frame are never
 * corrupted and no sequence numbers are dropped before the first frame or before the
 * truncated one (a gap is only visible between two good frames), and garbage never
 * contains a byte of the sync word, so it cannot forge one together with its neighbours.
 */
export class DeviceStream {
  readonly summary: DeviceSummary = {
    frames_sent: 0,
    good_frames: 0,
    bad_crc: 0,
    garbage_runs: 0,
    garbage_bytes: 0,
    dropped_seq: 0,
    truncated: 0,
  };
  private readonly random: SeededRandom;
  private sent = 0;
  private sequence = 0;

  constructor(
    private readonly count: number,
    private readonly faults: DeviceFaults,
    seed: number,
  ) {
    this.random = new SeededRandom(seed);
  }

  get done(): boolean {
    return this.sent >= this.count;
  }

  /** Index of the frame the next call to next() makes (from 0): the one to fetch a payload for. */
  get position(): number {
    return this.sent;
  }

  /** The bytes of the next frame, carrying `payload`, preceded by garbage if some is injected there. */
  next(payload: Uint8Array): Buffer[] {
    const n = this.sent++;
    const truncate = this.faults.truncateLast && n === this.count - 1;
    const lastWhole = this.faults.truncateLast ? this.count - 2 : this.count - 1;
    const pieces: Buffer[] = [];

    if (this.random.chance(this.faults.garbage)) pieces.push(this.garbage());
    if (n > 0 && n <= lastWhole && this.random.chance(this.faults.dropSeq)) {
      const dropped = this.random.int(1, 3);
      this.sequence = (this.sequence + dropped) >>> 0;
      this.summary.dropped_seq += dropped;
    }
    const corrupt = n > 0 && n < lastWhole && this.random.chance(this.faults.badCrc);

    const frame = encodeDeviceFrame(this.sequence, payload);
    this.sequence = (this.sequence + 1) >>> 0;
    this.summary.frames_sent++;
    if (truncate) {
      this.summary.truncated++;
      // At least the sync word, so the receiver can tell a frame had started.
      pieces.push(frame.subarray(0, this.random.int(4, frame.length - 1)));
    } else if (corrupt) {
      this.summary.bad_crc++;
      frame.writeUInt32BE((frame.readUInt32BE(12) ^ (1 << this.random.int(0, 31))) >>> 0, 12);
      pieces.push(frame);
    } else {
      this.summary.good_frames++;
      pieces.push(frame);
    }
    return pieces;
  }

  private garbage(): Buffer {
    const bytes = this.random.bytes(this.random.int(1, 64));
    for (const [i, byte] of bytes.entries()) if (SYNC_BYTES.has(byte)) bytes[i] = byte ^ 0x80;
    this.summary.garbage_runs++;
    this.summary.garbage_bytes += bytes.length;
    return bytes;
  }
}
