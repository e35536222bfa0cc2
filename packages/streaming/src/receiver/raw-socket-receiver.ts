import { LengthPrefixedFramer, rawBlockOffsets, type Framer } from '@sluice/protocol';
import { FramedSocketReceiver } from './framed-socket-receiver.js';
import { joinAdjacent } from './slab-reader.js';

/**
 * rawSocketStream: the sender has already grouped records into blocks (see
 * packages/protocol/src/framing/raw-block.ts), and each arriving block is stored whole
 * as a block of the next batch. The driver neither copies nor parses the records, which
 * makes this the fastest way into the engine for a producer that can batch. Connecting,
 * reconnecting and fault reports: see FramedSocketReceiver.
 */
export class RawSocketReceiver extends FramedSocketReceiver<Buffer> {
  constructor(
    host: string,
    port: number,
    private readonly maxFrameBytes: number,
  ) {
    super(host, port, false);
    this.name = `RawSocketReceiver(${host}:${port})`;
  }

  protected createFramer(): Framer {
    return new LengthPrefixedFramer({ maxFrameBytes: this.maxFrameBytes });
  }

  protected onFrame(buf: Buffer, start: number, end: number): void {
    this.storeRawBlock(buf.subarray(start, end));
  }

  /** A block that arrived in several reads: its pieces are adjacent in the slab they were read into, so joining them is usually free. */
  protected onFramePieces(pieces: Buffer[], length: number): void {
    this.storeRawBlock(joinAdjacent(pieces, length));
  }

  private storeRawBlock(body: Buffer): void {
    let offsets: Uint32Array;
    try {
      offsets = rawBlockOffsets(body);
    } catch (err) {
      this.reportBadInput('malformed raw block', (err as Error).message, 'malformed', err);
      return;
    }
    this.supervisor?.storeFramedBlock(body, offsets);
  }
}
