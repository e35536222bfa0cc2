import { connect, type Socket } from 'node:net';
import type { FrameFault, FrameSink, Framer } from '@sluice/protocol';
import { Receiver } from './receiver.js';
import { slabReader } from './slab-reader.js';

/**
 * What the TCP receivers share (Spark's SocketReceiver's connection handling): connects
 * to host:port (the other side listens, as `nc -lk` does), reads into slabs (see
 * slabReader) and hands each read to a framer; subclasses say which framer and what a
 * frame becomes.
 *
 * Bad input never stops the stream: faults are reported with their offset; a frame the
 * framer cannot get past (a length prefix over maxFrameBytes) resets the connection at
 * once. A connection that cannot be made or is lost is made again after the restart
 * delay (receiverRestartDelay), and so is one the server closes, unless
 * `endsWithConnection` says that closing is the end of the stream.
 */
export abstract class FramedSocketReceiver<T> extends Receiver<T> {
  private socket: Socket | null = null;
  private faults = 0;

  constructor(
    readonly host: string,
    readonly port: number,
    /**
     * The server closing the connection (after a whole last frame) ends the stream: the
     * receiver stops for good instead of reconnecting and, from a server that sends
     * every client the same data, reading it all again. Errors still reconnect.
     */
    private readonly endsWithConnection: boolean,
  ) {
    super();
  }

  /** Faults the framers reported, across connections. */
  get faultCount(): number {
    return this.faults;
  }

  /** A framer for a new connection (framers keep state across reads). */
  protected abstract createFramer(): Framer;
  /** One frame: bytes [start, end) of buf. */
  protected abstract onFrame(buf: Buffer, start: number, end: number): void;
  /** One frame that arrived in several reads, as views of them in order. */
  protected abstract onFramePieces(pieces: Buffer[], length: number): void;

  onStart(): void {
    const framer = this.createFramer();
    const sink: FrameSink = {
      record: (buf, start, end) => this.onFrame(buf, start, end),
      recordPieces: (pieces, length) => this.onFramePieces(pieces, length),
      fault: (fault) => this.onFault(fault),
    };
    const onChunk = (chunk: Buffer): void => {
      const before = this.supervisor?.recordsStored ?? 0;
      framer.push(chunk, sink);
      if (framer.needsReset) {
        socket.destroy();
        this.restart(`connection to ${this.where} reset after a corrupt frame`, undefined, 0);
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
      this.restart(`${connected ? 'connection lost' : 'could not connect'} to ${this.where}: ${err.message}`, err);
    });
    socket.on('close', (hadError) => {
      this.releaseHold(socket);
      if (this.socket !== socket || hadError) return;
      if (this.endsWithConnection) this.stop(`${this.where} closed the connection: the stream has ended`);
      else this.restart(`${this.where} closed the connection (end of stream)`);
    });
  }

  onStop(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) this.releaseHold(socket);
    socket?.destroy();
  }

  /** Reports bad input as `<what> from host:port: <detail>`, counted under `kind`. */
  protected reportBadInput(what: string, detail: string, kind: string, error?: unknown): void {
    this.supervisor?.reportError(`${what} from ${this.where}: ${detail}`, error, kind);
  }

  private onFault(fault: FrameFault): void {
    this.faults++;
    this.reportBadInput(`${fault.kind} at byte ${fault.offset}`, fault.message, fault.kind);
  }

  private get where(): string {
    return `${this.host}:${this.port}`;
  }
}
