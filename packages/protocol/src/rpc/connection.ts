import type { Socket } from 'node:net';
import { LengthPrefixedFramer } from '../framing/length-prefixed-framer';
import type { FrameSink } from '../framing/framer';
import { decodeEnvelope, encodeEnvelope, type Envelope } from './messages';

/** Tasks carry whole blocks, so frames can be large; this only bounds a corrupt length. */
const MAX_RPC_FRAME_BYTES = 1024 * 1024 * 1024;

/**
 * One end of a driver/executor connection: Envelopes in, Envelopes out, each framed with
 * a 4-byte length. Block payloads inside an Envelope stay raw bytes end to end.
 */
export class RpcConnection {
  private readonly framer = new LengthPrefixedFramer({ maxFrameBytes: MAX_RPC_FRAME_BYTES });
  private closed = false;

  constructor(
    readonly socket: Socket,
    onMessage: (message: Envelope) => void,
    onClose: (error?: Error) => void,
  ) {
    socket.setNoDelay(true);
    const sink: FrameSink = {
      record: (buf, start, end) => {
        // The decoded message may keep views into the frame, so give it bytes it owns
        // when the frame is a view into a reusable chunk.
        onMessage(decodeEnvelope(buf.subarray(start, end)));
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
  }

  get isOpen(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  /** Sends one message; returns false when the socket's buffer is full (backpressure). */
  send(message: Envelope): boolean {
    if (!this.isOpen) return false;
    const body = encodeEnvelope(message);
    const header = Buffer.allocUnsafe(4);
    header.writeUInt32BE(body.length, 0);
    this.socket.write(header);
    return this.socket.write(body);
  }

  close(): void {
    this.socket.end();
  }
}
