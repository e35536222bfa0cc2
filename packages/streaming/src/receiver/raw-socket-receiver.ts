import { connect, type Socket } from 'node:net';
import { LengthPrefixedFramer, rawBlockOffsets, type FrameSink } from '@sluice/protocol';
import { Receiver } from './receiver.js';
import { joinAdjacent, slabReader } from './slab-reader.js';

/**
 * rawSocketStream: the sender has already grouped records into blocks (see
 * packages/protocol/src/framing/raw-block.ts), and each arriving block is stored whole
 * as a block of the next batch. The driver neither copies nor parses the records, which
 * makes this the fastest way into the engine for a producer that can batch.
 */
export class RawSocketReceiver extends Receiver<Buffer> {
  private socket: Socket | null = null;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly maxFrameBytes: number,
  ) {
    super();
    this.name = `RawSocketReceiver(${host}:${port})`;
  }

  onStart(): void {
    const framer = new LengthPrefixedFramer({ maxFrameBytes: this.maxFrameBytes });
    const storeRawBlock = (body: Buffer): void => {
      let offsets: Uint32Array;
      try {
        offsets = rawBlockOffsets(body);
      } catch (err) {
        this.supervisor?.reportError(`malformed raw block from ${this.host}:${this.port}: ${(err as Error).message}`, err, 'malformed');
        return;
      }
      this.supervisor?.storeFramedBlock(body, offsets);
    };
    const sink: FrameSink = {
      record: (buf, start, end) => storeRawBlock(buf.subarray(start, end)),
      // A block that arrived in several reads: its pieces are adjacent in the slab they
      // were read into, so joining them is usually free.
      recordPieces: (pieces, length) => storeRawBlock(joinAdjacent(pieces, length)),
      fault: (fault) =>
        this.supervisor?.reportError(`${fault.kind} at byte ${fault.offset} from ${this.host}:${this.port}: ${fault.message}`, undefined, fault.kind),
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
    socket.on('connect', () => (connected = true));
    socket.on('end', () => framer.end(sink));
    socket.on('error', (err) => {
      if (this.socket !== socket) return;
      this.restart(`${connected ? 'connection lost' : 'could not connect'} to ${this.host}:${this.port}: ${err.message}`, err);
    });
    socket.on('close', (hadError) => {
      this.releaseHold(socket);
      if (this.socket === socket && !hadError) this.restart(`${this.host}:${this.port} closed the connection (end of stream)`);
    });
  }

  onStop(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) this.releaseHold(socket);
    socket?.destroy();
  }
}
