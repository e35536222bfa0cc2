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

  /**
   * Forgets the blocks of every batch up to `time` and returns them (executors may hold
   * some). The caller passes the newest batch no stream reads any more: with a window
   * over an input stream that is older than the batch just finished.
   */
  cleanupUpTo(time: number): ShippedBlock[] {
    const freed: ShippedBlock[] = [];
    for (const [t, batch] of this.batches) {
      if (t > time) continue;
      this.batches.delete(t);
      for (const blocks of batch.values()) freed.push(...blocks);
    }
    return freed;
  }

  /**
   * An executor was lost: the blocks not yet in a batch whose only copy it held are gone.
   * They are dropped (a batch would only fail on them) and returned, for the report.
   */
  dropBlocksOnlyOn(executorId: string): ShippedBlock[] {
    const lost: ShippedBlock[] = [];
    for (const [streamId, queue] of this.unallocated) {
      const kept = queue.filter((b) => {
        const gone = b.heldBy === executorId && b.segments === null;
        if (gone) lost.push(b);
        return !gone;
      });
      this.unallocated.set(streamId, kept);
    }
    return lost;
  }

  get pendingBlocks(): number {
    let n = 0;
    for (const q of this.unallocated.values()) n += q.length;
    return n;
  }
}
