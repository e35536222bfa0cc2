import type { ShippedBlock } from '@sluice/streaming/internal';

/**
 * The blocks this executor's receivers stored, kept as the receiver cut them (runs of
 * socket chunks, never joined) until the driver says their batches are done. Tasks sent
 * here because they read one of them take it from this store.
 */
export class BlockStore {
  private readonly blocks = new Map<string, ShippedBlock>();
  private bytes = 0;

  /** Bytes of the blocks held: what receiverMaxBufferedBytes bounds on this executor. */
  get heldBytes(): number {
    return this.bytes;
  }

  put(block: ShippedBlock): void {
    this.remove(block.blockId);
    this.blocks.set(block.blockId, block);
    this.bytes += block.byteLength;
  }

  get(blockId: string): ShippedBlock | undefined {
    return this.blocks.get(blockId);
  }

  remove(blockId: string): void {
    const block = this.blocks.get(blockId);
    if (!block) return;
    this.blocks.delete(blockId);
    this.bytes -= block.byteLength;
  }
}
