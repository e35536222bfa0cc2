import { rmSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import { encodeDeviceFrame } from '@sluice/protocol';
import { DeviceAckReader } from '@sluice/streaming/internal';
import { ResendingSource } from './resending-source.js';
import { sequenceLine } from './sequence-line.js';

/**
 * The chaos test's device: a Unix socket that streams device frames (sync word, sequence
 * number, length, CRC-32) as a smart NIC would, frame i carrying the sequence line i with
 * device sequence number i. Like a DMA ring it keeps every frame until the receiver
 * acknowledges it (DeviceReceiver's `acknowledge`: "SACK" and the last frame's sequence
 * number stored for good), and starts each new connection at the first frame not
 * acknowledged (see ResendingSource).
 */
export class SequenceDevice extends ResendingSource {
  constructor(
    readonly path: string,
    keys: number,
    rate: number,
  ) {
    super(keys, rate);
  }

  protected async listen(server: Server): Promise<void> {
    rmSync(this.path, { force: true });
    await new Promise<void>((r) => server.listen(this.path, r));
  }

  protected encode(from: number, to: number): Buffer {
    const frames: Buffer[] = [];
    for (let i = from; i < to; i++) frames.push(encodeDeviceFrame(i, Buffer.from(sequenceLine(i, this.keys))));
    return Buffer.concat(frames);
  }

  protected readAcks(socket: Socket, _first: number, acknowledged: (n: number) => void): void {
    const acks = new DeviceAckReader();
    socket.on('data', (chunk: Buffer) => {
      let seqs: number[];
      try {
        seqs = acks.push(chunk);
      } catch (err) {
        socket.destroy(err as Error);
        return;
      }
      for (const seq of seqs) acknowledged(seq + 1);
    });
  }

  override async close(): Promise<void> {
    await super.close();
    rmSync(this.path, { force: true });
  }
}
