import type { StreamInputInfo } from '../listener/batch-info.js';
import type { ShippedBlock } from '../rdd/task-env.js';
import type { WalRef } from '../wal/received-block-log.js';

/** A block as a metadata checkpoint records it: its bytes are in the write-ahead log, if anywhere. */
export interface CheckpointedBlock {
  blockId: string;
  count: number;
  byteLength: number;
  wal: WalRef | null;
}

/**
 * Blocks that receivers have cut, waiting for a batch. At each batch time all blocks
 * not yet allocated go to that batch (one partition each), as in Spark.
 */
export class ReceivedBlockTracker {
  private readonly unallocated = new Map<number, ShippedBlock[]>();
  private readonly batches = new Map<number, Map<number, ShippedBlock[]>>();
  /** Blocks written to a write-ahead log, and where. */
  private readonly walRefs = new Map<string, WalRef>();
  /** Per stream, the highest log position allocated to a batch. */
  private readonly allocatedSeq = new Map<number, number>();
  /** Bytes of the blocks whose data this process holds (not only an executor), by block id. */
  private readonly held = new Map<string, number>();
  private heldTotal = 0;

  /**
   * Bytes of received blocks this process holds until their batches are done (waiting for
   * a batch, or in one not finished): what receiverMaxBufferedBytes bounds.
   */
  get heldBytes(): number {
    return this.heldTotal;
  }

  private hold(block: ShippedBlock): void {
    if (block.segments === null || this.held.has(block.blockId)) return;
    this.held.set(block.blockId, block.byteLength);
    this.heldTotal += block.byteLength;
  }

  private unhold(block: ShippedBlock): void {
    const bytes = this.held.get(block.blockId);
    if (bytes === undefined) return;
    this.held.delete(block.blockId);
    this.heldTotal -= bytes;
  }

  addBlock(streamId: number, block: ShippedBlock, wal?: WalRef): void {
    if (wal) this.walRefs.set(block.blockId, wal);
    this.hold(block);
    let queue = this.unallocated.get(streamId);
    if (!queue) this.unallocated.set(streamId, (queue = []));
    queue.push(block);
  }

  allocateBlocksToBatch(time: number, streamIds: number[]): void {
    // A batch rerun after a restart keeps the blocks the checkpoint gave it.
    const batch = this.batches.get(time) ?? new Map<number, ShippedBlock[]>();
    for (const id of streamIds) {
      if (batch.has(id)) continue;
      const blocks = this.unallocated.get(id) ?? [];
      batch.set(id, blocks);
      this.unallocated.set(id, []);
      for (const b of blocks) {
        const seq = this.walRefs.get(b.blockId)?.seq;
        if (seq !== undefined && seq > (this.allocatedSeq.get(id) ?? -1)) this.allocatedSeq.set(id, seq);
      }
    }
    this.batches.set(time, batch);
  }

  // ---- metadata checkpoints (see checkpoint/metadata-checkpoint.ts) --------------------

  /** The blocks of batch `time` of stream `streamId`, as a metadata checkpoint keeps them. */
  checkpointBatch(time: number, streamId: number): CheckpointedBlock[] | null {
    const blocks = this.batches.get(time)?.get(streamId);
    if (!blocks) return null;
    return blocks.map((b) => ({ blockId: b.blockId, count: b.count, byteLength: b.byteLength, wal: this.walRefs.get(b.blockId) ?? null }));
  }

  /** The highest log position of stream `streamId` allocated to a batch (-1: none). */
  maxAllocatedSeq(streamId: number): number {
    return this.allocatedSeq.get(streamId) ?? -1;
  }

  /** A restarted driver: batch `time` of stream `streamId` gets these blocks (read back from the log). */
  restoreBatch(time: number, streamId: number, blocks: { block: ShippedBlock; wal: WalRef | null }[]): void {
    let batch = this.batches.get(time);
    if (!batch) this.batches.set(time, (batch = new Map<number, ShippedBlock[]>()));
    batch.set(
      streamId,
      blocks.map(({ block, wal }) => {
        if (wal) this.walRefs.set(block.blockId, wal);
        this.hold(block);
        return block;
      }),
    );
  }

  /** A restarted driver: where the allocated part of the stream's log ended. */
  restoreAllocatedSeq(streamId: number, seq: number): void {
    this.allocatedSeq.set(streamId, seq);
  }

  /** The lowest log position of stream `streamId`'s blocks not yet in a batch (Infinity: none). */
  minUnallocatedSeq(streamId: number): number {
    let min = Number.POSITIVE_INFINITY;
    for (const b of this.unallocated.get(streamId) ?? []) {
      const seq = this.walRefs.get(b.blockId)?.seq;
      if (seq !== undefined && seq < min) min = seq;
    }
    return min;
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
    for (const b of freed) {
      this.walRefs.delete(b.blockId);
      this.unhold(b);
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

  /**
   * Blocks the tracker knows (waiting or in a batch not yet finished), by who holds
   * them: an executor id, or 'driver' for blocks whose bytes the driver keeps.
   */
  holdings(): Map<string, { blocks: number; bytes: number }> {
    const out = new Map<string, { blocks: number; bytes: number }>();
    const add = (b: ShippedBlock) => {
      const holder = b.heldBy ?? 'driver';
      const h = out.get(holder) ?? { blocks: 0, bytes: 0 };
      h.blocks++;
      h.bytes += b.byteLength;
      out.set(holder, h);
    };
    for (const q of this.unallocated.values()) q.forEach(add);
    for (const batch of this.batches.values()) for (const q of batch.values()) q.forEach(add);
    return out;
  }

  get pendingBlocks(): number {
    let n = 0;
    for (const q of this.unallocated.values()) n += q.length;
    return n;
  }
}
