import type { StreamInputInfo } from '../listener/batch-info';
import type { ShippedBlock } from '../rdd/task-env';

/**
 * Blocks that receivers have cut, waiting for a batch. At each batch time all blocks
 * not yet allocated go to that batch (one partition each), as in Spark.
 */
export class ReceivedBlockTracker {
  private readonly unallocated = new Map<number, ShippedBlock[]>();
  private readonly batches = new Map<number, Map<number, ShippedBlock[]>>();

  addBlock(streamId: number, block: ShippedBlock): void {
    let queue = this.unallocated.get(streamId);
    if (!queue) this.unallocated.set(streamId, (queue = []));
    queue.push(block);
  }

  allocateBlocksToBatch(time: number, streamIds: number[]): void {
    const batch = new Map<number, ShippedBlock[]>();
    for (const id of streamIds) {
      batch.set(id, this.unallocated.get(id) ?? []);
      this.unallocated.set(id, []);
    }
    this.batches.set(time, batch);
  }

  blocksOfBatch(time: number, streamId: number): ShippedBlock[] {
    return this.batches.get(time)?.get(streamId) ?? [];
  }

  inputInfo(time: number): Record<number, StreamInputInfo> {
    const out: Record<number, StreamInputInfo> = {};
    for (const [streamId, blocks] of this.batches.get(time) ?? []) {
      let numRecords = 0;
      let bytes = 0;
      for (const b of blocks) {
        numRecords += b.count;
        bytes += b.byteLength;
      }
      out[streamId] = { streamId, numRecords, bytes };
    }
    return out;
  }

  /** Frees the blocks of a finished batch. */
  cleanup(time: number): void {
    this.batches.delete(time);
  }

  get pendingBlocks(): number {
    let n = 0;
    for (const q of this.unallocated.values()) n += q.length;
    return n;
  }
}
