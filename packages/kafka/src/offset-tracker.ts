import { compareTopicPartitions, parseTpKey, tpKey, type OffsetRange } from './offset-range.js';

/** The ranges one batch was given, and the epoch they belong to (see rewind). */
export interface BatchRanges {
  readonly time: number;
  readonly epoch: number;
  readonly ranges: OffsetRange[];
}

interface Interval {
  from: number;
  until: number;
}

/**
 * The direct stream's bookkeeping on the driver, per topic-partition (keys from tpKey):
 *
 * - position: where the next batch's range starts (the last range's until);
 * - committed: the offset known to be stored for the group in Kafka (or the start);
 * - processed: ranges whose batches succeeded and were handed to commitAsync, not yet
 *   contiguous with `committed`.
 *
 * Commits only ever move `committed` through processed ranges that touch it, so a batch
 * that failed leaves a hole no later commit can jump over: after a crash the stream
 * starts again at the hole.
 *
 * A failed batch rewinds the positions to its ranges and starts a new epoch. Batches cut
 * before the rewind belong to the old epoch: their failures no longer rewind anything
 * (the rewind already covers them), and the exactly-once output skips them.
 */
export class OffsetTracker {
  private readonly position = new Map<string, number>();
  private readonly committed = new Map<string, number>();
  private readonly processed = new Map<string, Interval[]>();
  private readonly batches = new Map<number, BatchRanges>();
  private epochValue = 0;

  get epoch(): number {
    return this.epochValue;
  }

  tracks(tp: string): boolean {
    return this.position.has(tp);
  }

  /** Starts following a partition from `offset`, its committed or starting offset. */
  track(tp: string, offset: number): void {
    this.position.set(tp, offset);
    this.committed.set(tp, offset);
  }

  get positions(): ReadonlyMap<string, number> {
    return this.position;
  }

  get committedOffsets(): ReadonlyMap<string, number> {
    return this.committed;
  }

  /**
   * Cuts batch `time`: for every partition in `until`, the range from its position to
   * its until. Positions move to the ends of the ranges.
   */
  cutBatch(time: number, until: ReadonlyMap<string, number>): BatchRanges {
    const ranges: OffsetRange[] = [];
    for (const [tp, end] of until) {
      const from = this.position.get(tp);
      if (from === undefined) continue;
      const { topic, partition } = parseTpKey(tp);
      const untilOffset = Math.max(from, end);
      ranges.push({ topic, partition, fromOffset: from, untilOffset });
      this.position.set(tp, untilOffset);
    }
    ranges.sort(compareTopicPartitions);
    const batch = { time, epoch: this.epochValue, ranges };
    this.batches.set(time, batch);
    return batch;
  }

  /**
   * A driver restarted from a checkpoint: batch `time`, pending when the driver died,
   * has the ranges the checkpoint recorded (it is rerun with exactly those).
   */
  restoreBatch(time: number, ranges: OffsetRange[]): void {
    this.batches.set(time, { time, epoch: this.epochValue, ranges: [...ranges].sort(compareTopicPartitions) });
  }

  /** A restarted driver: the committed offset known for `tp` (records before it are done). */
  restoreCommitted(tp: string, offset: number): void {
    this.committed.set(tp, offset);
  }

  batch(time: number): BatchRanges | undefined {
    return this.batches.get(time);
  }

  /** True if batch `time` was cut in the current epoch (so its output counts). */
  isCurrent(time: number): boolean {
    return this.batches.get(time)?.epoch === this.epochValue;
  }

  /** Batches cut and not yet finished that have records to read. */
  get batchesInFlight(): number {
    let n = 0;
    for (const b of this.batches.values()) if (b.ranges.some((r) => r.untilOffset > r.fromOffset)) n++;
    return n;
  }

  finishBatch(time: number): void {
    this.batches.delete(time);
  }

  /**
   * Batch `time` failed: the next batch starts again at its ranges. Returns false (and
   * changes nothing) for a batch of an older epoch, already covered by an earlier rewind.
   */
  rewindTo(time: number): boolean {
    const batch = this.batches.get(time);
    if (!batch || batch.epoch !== this.epochValue) return false;
    this.epochValue++;
    for (const r of batch.ranges) {
      const tp = tpKey(r.topic, r.partition);
      const at = this.position.get(tp);
      if (at !== undefined && r.fromOffset < at) this.position.set(tp, r.fromOffset);
    }
    return true;
  }

  /** Starts a new epoch without moving: every batch cut so far is now stale. */
  invalidateBatches(): void {
    this.epochValue++;
  }

  /** Moves positions and the committed offsets to `offsets` (what Kafka says), in a new epoch. */
  resetTo(offsets: ReadonlyMap<string, number>): void {
    this.epochValue++;
    for (const [tp, offset] of offsets) {
      this.position.set(tp, offset);
      this.committed.set(tp, offset);
      this.processed.delete(tp);
    }
  }

  /**
   * Records ranges as processed (their batch succeeded) and returns, per partition, the
   * offset the group may now commit: as far as processed ranges reach contiguously from
   * the committed offset. Partitions that cannot move are left out.
   */
  markProcessed(ranges: readonly OffsetRange[]): Map<string, number> {
    for (const r of ranges) {
      const tp = tpKey(r.topic, r.partition);
      if (r.untilOffset <= (this.committed.get(tp) ?? -1)) continue;
      let list = this.processed.get(tp);
      if (!list) this.processed.set(tp, (list = []));
      list.push({ from: r.fromOffset, until: r.untilOffset });
    }
    return this.commitTargets();
  }

  /** Offsets that processed ranges allow to commit now (see markProcessed). */
  commitTargets(): Map<string, number> {
    const targets = new Map<string, number>();
    for (const [tp, list] of this.processed) {
      const start = this.committed.get(tp);
      if (start === undefined) continue;
      let reach = start;
      let moved = true;
      while (moved) {
        moved = false;
        for (const i of list) {
          if (i.from <= reach && i.until > reach) {
            reach = i.until;
            moved = true;
          }
        }
      }
      if (reach > start) targets.set(tp, reach);
    }
    return targets;
  }

  /** Kafka stored these offsets for the group. */
  confirmCommitted(offsets: ReadonlyMap<string, number>): void {
    for (const [tp, offset] of offsets) {
      if (offset <= (this.committed.get(tp) ?? -1)) continue;
      this.committed.set(tp, offset);
      const left = (this.processed.get(tp) ?? []).filter((i) => i.until > offset);
      if (left.length > 0) this.processed.set(tp, left);
      else this.processed.delete(tp);
    }
  }
}
