import { DEFAULT_MAX_FRAME_BYTES, type FrameSink, type Framer, type FramerOptions } from './framer.js';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Newline-delimited records (socketTextStream). A trailing "\r" is dropped so CRLF text
 * works too. A line longer than maxFrameBytes is skipped up to its newline and reported.
 */
export class NewlineFramer implements Framer {
  readonly needsReset = false;
  private readonly maxFrameBytes: number;
  /** Pieces of the current, not yet terminated line. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** True while skipping the rest of an oversized line. */
  private skipping = false;
  private streamOffset = 0;

  constructor(options: FramerOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  push(chunk: Buffer, sink: FrameSink): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) {
        this.holdPartial(chunk, start, sink);
        break;
      }
      if (this.skipping) {
        this.skipping = false;
      } else if (this.pendingBytes === 0) {
        this.emit(chunk, start, nl, sink);
      } else {
        this.pending.push(chunk.subarray(start, nl));
        const line = Buffer.concat(this.pending, this.pendingBytes + nl - start);
        this.pending = [];
        this.pendingBytes = 0;
        this.emit(line, 0, line.length, sink);
      }
      start = nl + 1;
    }
    this.streamOffset += chunk.length;
  }

  end(sink: FrameSink): void {
    // Text without a final newline is still a complete line (as `nc` sends it), so
    // the last line is delivered rather than reported as truncated.
    if (this.pendingBytes > 0 && !this.skipping) {
      const line = Buffer.concat(this.pending, this.pendingBytes);
      this.emit(line, 0, line.length, sink);
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
  }

  private emit(buf: Buffer, start: number, end: number, sink: FrameSink): void {
    if (end > start && buf[end - 1] === CARRIAGE_RETURN) end -= 1;
    sink.record(buf, start, end);
  }

  private holdPartial(chunk: Buffer, start: number, sink: FrameSink): void {
    if (this.skipping) return;
    const extra = chunk.length - start;
    if (this.pendingBytes + extra > this.maxFrameBytes) {
      sink.fault({
        kind: 'oversized',
        message: `line longer than maxFrameBytes (${this.maxFrameBytes} bytes) skipped`,
        offset: this.streamOffset + start - this.pendingBytes,
      });
      this.pending = [];
      this.pendingBytes = 0;
      this.skipping = true;
      return;
    }
    // Copy: the caller may reuse the chunk's memory after push returns.
    this.pending.push(Buffer.from(chunk.subarray(start)));
    this.pendingBytes += extra;
  }
}
