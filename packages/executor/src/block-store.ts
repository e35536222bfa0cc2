import type { ShippedBlock } from '@sluice/streaming';

/**
 * The blocks this executor's receivers stored, kept as the receiver cut them (runs of
 * socket chunks, never joined) until the driver says their batches are done. Tasks sent
 * here because they read one of them take it from this store.
 */
export class BlockStore {
  private readonly blocks = new Map<string, ShippedBlock>();

  put(block: ShippedBlock): void {
    this.blocks.set(block.blockId, block);
  }

  get(blockId: string): ShippedBlock | undefined {
    return this.blocks.get(blockId);
  }

  remove(blockId: string): void {
    this.blocks.delete(blockId);
  }
}
