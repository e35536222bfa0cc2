import { FrameAssembler } from './frame-assembler.js';
import { DEFAULT_MAX_FRAME_BYTES, type FrameSink, type Framer, type FramerOptions } from './framer.js';

/**
 * Protobuf's length-delimited stream format (writeDelimitedTo / encodeDelimited): a
 * base-128 varint length, then the message. The record is the message bytes; decoding it
 * with the message type is the converter's job.
 */
export class VarintDelimitedFramer implements Framer {
  private readonly maxFrameBytes: number;
  private varint = 0;
  private varintShift = 0;
  private readonly body = new FrameAssembler();
  private broken = false;
  private streamOffset = 0;
  private frameStart = 0;

  constructor(options: FramerOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  get needsReset(): boolean {
    return this.broken;
  }

  push(chunk: Buffer, sink: FrameSink): void {
    if (this.broken) return;
    let pos = 0;
    while (pos < chunk.length) {
      if (this.body.active) {
        pos += this.body.fill(chunk, pos);
        if (this.body.missing === 0) {
          const msg = this.body.take();
          sink.record(msg, 0, msg.length);
        }
        continue;
      }
      if (this.varintShift === 0) this.frameStart = this.streamOffset + pos;
      const byte = chunk[pos++]!;
      this.varint += (byte & 0x7f) * 2 ** this.varintShift;
      this.varintShift += 7;
      if (byte & 0x80) {
        if (this.varintShift > 35) return this.fail(sink, 'malformed', 'length varint longer than 5 bytes');
        continue;
      }
      const length = this.varint;
      this.varint = 0;
      this.varintShift = 0;
      if (length > this.maxFrameBytes) {
        return this.fail(
          sink,
          'oversized',
          `message of ${length} bytes exceeds maxFrameBytes (${this.maxFrameBytes}); the connection is reset`,
        );
      }
      if (pos + length <= chunk.length) {
        sink.record(chunk, pos, pos + length);
        pos += length;
      } else {
        this.body.begin(length);
      }
    }
    this.streamOffset += chunk.length;
  }

  end(sink: FrameSink): void {
    if (!this.broken && (this.varintShift > 0 || this.body.active)) {
      sink.fault({ kind: 'truncated', message: 'stream ended inside a message', offset: this.frameStart });
    }
    this.varint = 0;
    this.varintShift = 0;
    this.body.reset();
    this.broken = false;
    this.streamOffset = 0;
  }

  private fail(sink: FrameSink, kind: 'malformed' | 'oversized', message: string): void {
    this.broken = true;
    this.body.reset();
    sink.fault({ kind, message, offset: this.frameStart });
  }
}
