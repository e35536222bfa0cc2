import type { Socket } from 'node:net';
import { LengthPrefixedFramer } from '../framing/length-prefixed-framer.js';
import type { FrameSink } from '../framing/framer.js';
import { decodeEnvelope, encodeEnvelope, type Envelope } from './messages.js';

/** Tasks carry whole blocks, so frames can be large; this only bounds a corrupt length. */
const MAX_RPC_FRAME_BYTES = 2 ** 32 - 1;

const EMPTY = Buffer.alloc(0);

/**
 * One end of a driver/executor connection (frame layout in sluice.proto): an Envelope
 * plus a trailer of raw payload bytes. Sending writes the trailer's segments straight
 * to the socket (corked into one writev); receiving hands out the trailer as a view of
 * the frame.
 */
export class RpcConnection {
  private readonly framer = new LengthPrefixedFramer({ maxFrameBytes: MAX_RPC_FRAME_BYTES });
  private closed = false;

  constructor(
    readonly socket: Socket,
    /**
     * `ownsBuffer`: the trailer's ArrayBuffer holds this frame and nothing else (a large
     * frame the framer assembled), so the receiver may move it to another thread instead
     * of copying it. Views the decoded message has of its bytes fields go with it.
     */
    onMessage: (message: Envelope, trailer: Buffer, ownsBuffer: boolean) => void,
    onClose: (error?: Error) => void,
  ) {
    socket.setNoDelay(true);
    const sink: FrameSink = {
      record: (buf, start, end) => {
        const envelopeLength = buf.readUInt32BE(start);
        const envelopeEnd = start + 4 + envelopeLength;
        const ownsBuffer = start === 0 && end === buf.length && buf.byteOffset === 0 && buf.buffer.byteLength === buf.length;
        onMessage(decodeEnvelope(buf.subarray(start + 4, envelopeEnd)), envelopeEnd < end ? buf.subarray(envelopeEnd, end) : EMPTY, ownsBuffer);
      },
      fault: (fault) => {
        socket.destroy(new Error(`corrupt driver/executor frame: ${fault.message}`));
      },
    };
    socket.on('data', (chunk: Buffer) => this.framer.push(chunk, sink));
    let lastError: Error | undefined;
    socket.on('error', (err) => {
      lastError = err;
    });
    socket.on('close', () => {
      if (this.closed) return;
      this.closed = true;
      onClose(lastError);
    });
    // An authentication handshake before this connection pauses the socket.
    socket.resume();
  }

  get isOpen(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  /** Sends one message; returns false when the socket's buffer is full (backpressure). */
  send(message: Envelope, trailer: readonly Uint8Array[] = []): boolean {
    if (!this.isOpen) return false;
    const body = encodeEnvelope(message);
    let trailerBytes = 0;
    for (const segment of trailer) trailerBytes += segment.byteLength;
    const header = Buffer.allocUnsafe(8);
    header.writeUInt32BE(4 + body.length + trailerBytes, 0);
    header.writeUInt32BE(body.length, 4);
    this.socket.cork();
    this.socket.write(header);
    let ok = this.socket.write(body);
    for (const segment of trailer) if (segment.byteLength > 0) ok = this.socket.write(segment);
    this.socket.uncork();
    return ok;
  }

  close(): void {
    this.socket.end();
  }
}
