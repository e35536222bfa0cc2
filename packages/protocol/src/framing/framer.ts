/**
 * Framing: how a continuous byte stream (a TCP socket, a FIFO, a device) is cut into
 * records. A framer only finds record boundaries and hands each record's bytes to a sink;
 * turning those bytes into values (strings, messages, images) is the decoder's job and
 * happens later, on the executor that runs the task. That split keeps the driver's hot
 * path to "find the boundary, copy the bytes once".
 */

/** Faults a framer can find in a byte stream. Each is reported, never thrown. */
export type FrameFaultKind =
  | 'oversized' // a frame longer than maxFrameBytes: skipped or the connection reset
  | 'truncated' // the stream ended in the middle of a frame
  | 'garbage' // bytes that are not a frame, skipped while resynchronising
  | 'bad-crc' // a frame whose checksum does not match its payload
  | 'sequence-gap' // frames missing according to the sequence numbers
  | 'malformed'; // a header that cannot be valid (negative length, bad varint, ...)

export interface FrameFault {
  kind: FrameFaultKind;
  message: string;
  /** Byte offset in the stream (since the connection opened) where the fault starts. */
  offset: number;
  /** How many units the fault covers: bytes of garbage, frames missing, ... (default 1). */
  count?: number;
}

export interface FrameSink {
  /**
   * One complete record: bytes [start, end) of buf. buf is either a chunk given to push()
   * or a buffer the framer allocated for this frame; a framer never overwrites a buffer it
   * has handed to the sink. So a sink may keep a view of the bytes, provided whoever calls
   * push() does not overwrite its chunks afterwards (socket chunks are never reused).
   */
  record(buf: Buffer, start: number, end: number): void;
  /**
   * Optional: one complete record made of several pieces (views of consecutive chunks),
   * in order. Framers call it instead of assembling a large frame that spans chunks, when
   * the sink has it; a sink that keeps blocks as lists of segments then never copies.
   */
  recordPieces?(pieces: Buffer[], length: number): void;
  /** A fault in the stream. The framer has already skipped past it. */
  fault(fault: FrameFault): void;
}

export interface Framer {
  /** Feeds the next chunk of the stream; calls sink.record for every frame completed. */
  push(chunk: Buffer, sink: FrameSink): void;
  /** The stream ended: reports a partial trailing frame as 'truncated'. */
  end(sink: FrameSink): void;
  /**
   * True when the framer cannot make progress without dropping the connection (for
   * example a length prefix over the limit with no way to resynchronise): the receiver
   * then resets the connection and the framer starts afresh on the next one.
   */
  readonly needsReset: boolean;
}

export interface FramerOptions {
  /** Largest frame accepted; larger ones are rejected without being buffered. */
  maxFrameBytes?: number;
}

/** 64 MiB: large enough for microscopy images, small enough to bound memory. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
