import { FrameAssembler } from './frame-assembler.js';
import { DEFAULT_MAX_FRAME_BYTES, type FrameSink, type Framer, type FramerOptions } from './framer.js';

/**
 * The shared machinery of formats made of "fixed-size header, then a body whose length
 * the header gives": length-prefixed frames and the image frame. Frames that lie wholly
 * inside one chunk are delivered straight from the chunk (no copy here); frames that span
 * chunks are assembled once.
 *
 * Such formats have no sync word, so after an impossible header the stream cannot be
 * resynchronised: the framer reports the fault and asks the receiver to reset the
 * connection (needsReset), as a corrupt length would otherwise swallow everything after it.
 */
export abstract class HeaderFramer implements Framer {
  private readonly maxFrameBytes: number;
  private readonly header: Buffer;
  private headerFilled = 0;
  private readonly body = new FrameAssembler();
  /** A frame being collected as views of chunks, for sinks with recordPieces. */
  private pieces: Buffer[] | null = null;
  private piecesMissing = 0;
  private piecesLength = 0;
  private broken = false;
  private streamOffset = 0;
  private frameStartOffset = 0;

  protected constructor(
    private readonly headerBytes: number,
    /** Whether the record handed to the sink includes the header (the image frame keeps its name). */
    private readonly recordIncludesHeader: boolean,
    options: FramerOptions,
  ) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.header = Buffer.alloc(headerBytes);
  }

  /** Body length announced by a header, or a negative number for an impossible header. */
  protected abstract bodyLength(header: Buffer, at: number): number;

  get needsReset(): boolean {
    return this.broken;
  }

  push(chunk: Buffer, sink: FrameSink): void {
    if (this.broken) return;
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      if (this.pieces) {
        const take = Math.min(this.piecesMissing, len - pos);
        this.pieces.push(chunk.subarray(pos, pos + take));
        this.piecesMissing -= take;
        pos += take;
        if (this.piecesMissing === 0) this.deliverPieces(sink);
        continue;
      }
      if (this.body.active) {
        pos += this.body.fill(chunk, pos);
        if (this.body.missing === 0) this.deliverAssembled(sink);
        continue;
      }
      if (this.headerFilled === 0 && len - pos >= this.headerBytes) {
        // Fast path: the whole header is in this chunk.
        const bodyLen = this.checkedLength(chunk, pos, this.streamOffset + pos, sink);
        if (bodyLen < 0) return;
        const frameEnd = pos + this.headerBytes + bodyLen;
        if (frameEnd <= len) {
          sink.record(chunk, this.recordIncludesHeader ? pos : pos + this.headerBytes, frameEnd);
          pos = frameEnd;
          continue;
        }
        this.frameStartOffset = this.streamOffset + pos;
        if (sink.recordPieces) {
          // The header is in this chunk: the record starts as a view of it.
          const start = this.recordIncludesHeader ? pos : pos + this.headerBytes;
          this.beginPieces([chunk.subarray(start, len)], frameEnd - start - (len - start));
          pos = len;
          continue;
        }
        chunk.copy(this.header, 0, pos, pos + this.headerBytes);
        this.beginBody(bodyLen);
        pos += this.headerBytes;
        continue;
      }
      // Slow path: the header itself is split across chunks.
      if (this.headerFilled === 0) this.frameStartOffset = this.streamOffset + pos;
      const take = Math.min(this.headerBytes - this.headerFilled, len - pos);
      chunk.copy(this.header, this.headerFilled, pos, pos + take);
      this.headerFilled += take;
      pos += take;
      if (this.headerFilled === this.headerBytes) {
        this.headerFilled = 0;
        const bodyLen = this.checkedLength(this.header, 0, this.frameStartOffset, sink);
        if (bodyLen < 0) return;
        if (bodyLen === 0) {
          this.deliverEmpty(sink);
        } else if (sink.recordPieces) {
          this.beginPieces(this.recordIncludesHeader ? [Buffer.from(this.header)] : [], bodyLen);
        } else {
          this.beginBody(bodyLen);
        }
      }
    }
    this.streamOffset += len;
  }

  end(sink: FrameSink): void {
    const pieceBytes = this.pieces ? this.piecesLength - this.piecesMissing : 0;
    const partial = this.headerFilled + (this.body.active ? this.headerBytes + this.body.received : 0) + pieceBytes;
    if (partial > 0 && !this.broken) {
      sink.fault({
        kind: 'truncated',
        message: `stream ended inside a frame (${partial} bytes of it received)`,
        offset: this.frameStartOffset,
      });
    }
    this.headerFilled = 0;
    this.body.reset();
    this.pieces = null;
    this.broken = false;
    this.streamOffset = 0;
  }

  private checkedLength(buf: Buffer, at: number, offset: number, sink: FrameSink): number {
    const bodyLen = this.bodyLength(buf, at);
    if (bodyLen < 0) {
      this.fail(sink, 'malformed', `impossible frame header (length ${bodyLen})`, offset);
      return -1;
    }
    if (bodyLen > this.maxFrameBytes) {
      this.fail(
        sink,
        'oversized',
        `frame of ${bodyLen} bytes exceeds maxFrameBytes (${this.maxFrameBytes}); the connection is reset`,
        offset,
      );
      return -1;
    }
    return bodyLen;
  }

  private fail(sink: FrameSink, kind: 'malformed' | 'oversized', message: string, offset: number): void {
    this.broken = true;
    this.headerFilled = 0;
    this.body.reset();
    sink.fault({ kind, message, offset });
  }

  private beginPieces(first: Buffer[], missing: number): void {
    this.pieces = first;
    this.piecesMissing = missing;
    let have = 0;
    for (const p of first) have += p.length;
    this.piecesLength = have + missing;
  }

  private deliverPieces(sink: FrameSink): void {
    const pieces = this.pieces!;
    this.pieces = null;
    sink.recordPieces!(pieces, this.piecesLength);
  }

  private beginBody(bodyLen: number): void {
    this.body.begin(this.recordIncludesHeader ? this.headerBytes + bodyLen : bodyLen);
    if (this.recordIncludesHeader) this.body.fill(this.header, 0);
  }

  private deliverAssembled(sink: FrameSink): void {
    const record = this.body.take();
    sink.record(record, 0, record.length);
  }

  private deliverEmpty(sink: FrameSink): void {
    // The header buffer is reused for the next frame, so hand out a copy.
    const record = this.recordIncludesHeader ? Buffer.from(this.header) : Buffer.alloc(0);
    sink.record(record, 0, record.length);
  }
}
