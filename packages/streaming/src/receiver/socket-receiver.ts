import { connect, type Socket } from 'node:net';
import type { FrameSink } from '@sluice/protocol';
import type { Converter } from '../converters/converter.js';
import { Receiver } from './receiver.js';
import { slabReader } from './slab-reader.js';

/**
 * Connects to host:port and stores the records a converter's framer finds in the byte
 * stream (Spark's SocketReceiver; the other side listens, as `nc -lk` does).
 *
 * The socket is read into slabs (see slabReader) and frames stay views of them: nothing
 * is copied here, and decoding waits for the task that reads the block.
 * Bad input never stops the stream: faults are reported with their offset; a frame over
 * maxFrameBytes resets the connection (the length prefix cannot be trusted after it); the
 * connection is re-established after the restart delay when it fails, and when the server
 * closes it, unless `endsWithConnection` says that closing is the end of the stream.
 */
export class SocketReceiver<T> extends Receiver<T> {
  private socket: Socket | null = null;
  private faults = 0;

  constructor(
    readonly host: string,
    readonly port: number,
    readonly converter: Converter<T>,
    private readonly maxFrameBytes: number,
    /**
     * The server closing the connection (after a whole last frame) ends the stream: the
     * receiver stops for good instead of reconnecting and, from a server that sends
     * every client the same data, reading it all again. Errors still reconnect.
     */
    private readonly endsWithConnection = false,
  ) {
    super();
    this.name = `SocketReceiver(${converter.name} ${host}:${port})`;
    this.decodeFrame = converter.decode;
  }

  get faultCount(): number {
    return this.faults;
  }

  onStart(): void {
    const framer = this.converter.createFramer({ maxFrameBytes: this.maxFrameBytes });
    const sink: FrameSink = {
      record: (buf, start, end) => this.storeFrame(buf, start, end),
      // Large frames arrive as views of the socket's chunks and stay that way.
      recordPieces: (pieces, length) => this.supervisor?.storeFramePieces(pieces, length),
      fault: (fault) => {
        this.faults++;
        this.supervisor?.reportError(
          `${fault.kind} at byte ${fault.offset} from ${this.host}:${this.port}: ${fault.message}`,
          undefined,
          fault.kind,
        );
      },
    };
    const onChunk = (chunk: Buffer): void => {
      const before = this.supervisor?.recordsStored ?? 0;
      framer.push(chunk, sink);
      if (framer.needsReset) {
        socket.destroy();
        this.restart(`connection to ${this.host}:${this.port} reset after a corrupt frame`, undefined, 0);
        return;
      }
      this.holdBack(socket, (this.supervisor?.recordsStored ?? 0) - before);
    };
    const socket = connect({ host: this.host, port: this.port, onread: slabReader(onChunk, () => this.readLimitBytes) });
    this.socket = socket;
    let connected = false;
    socket.on('connect', () => {
      connected = true;
    });
    socket.on('end', () => framer.end(sink));
    socket.on('error', (err) => {
      if (this.socket !== socket) return;
      const what = connected ? 'connection lost' : 'could not connect';
      this.restart(`${what} to ${this.host}:${this.port}: ${err.message}`, err);
    });
    socket.on('close', (hadError) => {
      this.releaseHold(socket);
      if (this.socket !== socket || hadError) return;
      if (this.endsWithConnection) this.stop(`${this.host}:${this.port} closed the connection: the stream has ended`);
      else this.restart(`${this.host}:${this.port} closed the connection (end of stream)`);
    });
  }

  onStop(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) this.releaseHold(socket);
    socket?.destroy();
  }
}
