import type { Framer } from '@sluice/protocol';
import type { Converter } from '../converters/converter.js';
import { FramedSocketReceiver } from './framed-socket-receiver.js';

/**
 * Connects to host:port and stores the records a converter's framer finds in the byte
 * stream (Spark's SocketReceiver; connecting, reconnecting and fault reports: see
 * FramedSocketReceiver).
 *
 * The socket is read into slabs and frames stay views of them: nothing is copied here,
 * and decoding waits for the task that reads the block.
 */
export class SocketReceiver<T> extends FramedSocketReceiver<T> {
  constructor(
    host: string,
    port: number,
    readonly converter: Converter<T>,
    private readonly maxFrameBytes: number,
    endsWithConnection = false,
  ) {
    super(host, port, endsWithConnection);
    this.name = `SocketReceiver(${converter.name} ${host}:${port})`;
    this.decodeFrame = converter.decode;
  }

  protected createFramer(): Framer {
    return this.converter.createFramer({ maxFrameBytes: this.maxFrameBytes });
  }

  protected onFrame(buf: Buffer, start: number, end: number): void {
    this.storeFrame(buf, start, end);
  }

  /** Large frames arrive as views of the socket's chunks and stay that way. */
  protected onFramePieces(pieces: Buffer[], length: number): void {
    this.supervisor?.storeFramePieces(pieces, length);
  }
}
