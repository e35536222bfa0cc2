import type { BatchInfo } from '@sluice/streaming';
import type { DirectStreamSettings } from './direct-stream-options.js';
import { createCluster, type KafkaCluster } from './kafkajs-cluster.js';
import { fetchCommittedOffsets } from './group-offsets.js';
import { fetchLogOffsets } from './log-offsets.js';
import { describeRange, parseTpKey, tpKey, type OffsetRange } from './offset-range.js';
import { OffsetCommitter, type CommitCallback } from './offset-committer.js';
import { OffsetTracker } from './offset-tracker.js';
import { OutageLog } from './outage-log.js';
import { PartitionDiscovery } from './partition-discovery.js';
import { clampUntilOffsets } from './rate-limit.js';
import { describeSubscription } from './subscription.js';

/**
 * An output that stores the stream's offsets itself, inside its own transactions (the
 * exactly-once Kafka output). The stream then never commits, and after a failure it
 * asks Kafka where the group stands instead of trusting its own bookkeeping.
 */
export interface TransactionalOffsetsOwner {
  /** Makes any earlier producer of the same transactional id harmless (fencing), and waits for its open transaction to end. */
  fence(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The driver half of a direct stream: finds the partitions, decides where they start,
 * cuts each batch's offset ranges before the batch is generated, and commits offsets
 * after batches succeed. Everything that talks to Kafka happens in prepareBatch (async,
 * before generation) or after a batch completes, never while a batch is generated.
 */
export class DirectStreamDriver {
  private cluster: KafkaCluster | null = null;
  private readonly tracker = new OffsetTracker();
  private readonly discovery: PartitionDiscovery;
  private readonly committer: OffsetCommitter;
  /** Exactly-once: ask Kafka where the group stands before the next batch (see resync). */
  private needsResync = true;
  private owner: TransactionalOffsetsOwner | null = null;
  private stopping = false;
  private isStopped = false;
  /** Log-end offsets fetched when each batch in flight was cut, by batch time. */
  private readonly logEndOffsets = new Map<number, Map<string, number>>();
  private readonly inFlightWaiters: (() => void)[] = [];
  private readonly prepareOutage: OutageLog;
  /** The published total rate (records/s), 0 = none: see KafkaDirectStream.setRate. */
  private publishedRate = 0;
  /** Per batch: records left in the log after its ranges, when it was cut (its lag). */
  private readonly lagAfter = new Map<number, number>();

  constructor(
    private readonly settings: DirectStreamSettings,
    private readonly batchDurationMs: number,
    private readonly streamName: string,
  ) {
    const what = `${streamName} (group ${settings.groupId})`;
    this.prepareOutage = new OutageLog(settings.log, what, settings.brokers, 'the stream reads nothing until Kafka answers again (tried every batch); no offsets are skipped');
    this.discovery = new PartitionDiscovery(settings, this.tracker, streamName);
    this.committer = new OffsetCommitter(settings, this.tracker, () => this.connect(), what);
  }

  // ---- batches ---------------------------------------------------------------------

  /** Cuts the offset ranges of batch `time`. On any Kafka error the batch gets no ranges. */
  async prepareBatch(time: number): Promise<void> {
    if (this.stopping) return;
    try {
      // A batch rerun after a restart keeps the ranges its checkpoint recorded.
      const restored = this.tracker.batch(time) !== undefined;
      if (restored && !this.needsResync) return;
      const cluster = await this.connect();
      if (this.needsResync) await this.resync(cluster);
      if (restored) return;
      await this.discovery.refresh(cluster);
      const partitions = this.discovery.partitions;
      const latest = await fetchLogOffsets(cluster, partitions, 'latest');
      const current = new Map<string, number>();
      for (const tp of partitions) {
        const key = tpKey(tp.topic, tp.partition);
        const at = this.tracker.positions.get(key);
        if (at !== undefined && latest.has(key)) current.set(key, at);
      }
      const until = clampUntilOffsets(current, latest, {
        maxRatePerPartition: this.settings.maxRatePerPartition,
        minRatePerPartition: this.settings.minRatePerPartition,
        batchDurationMs: this.batchDurationMs,
        estimatedRate: this.publishedRate,
      });
      this.tracker.cutBatch(time, until);
      this.logEndOffsets.set(time, latest);
      let lag = 0;
      for (const [key, end] of until) lag += Math.max((latest.get(key) ?? end) - end, 0);
      this.lagAfter.set(time, lag);
      this.prepareOutage.recovered(`resuming at ${this.describePositions()}`);
    } catch (err) {
      this.prepareOutage.failed(err);
      // Leaders may have moved (or the broker restarted): ask again before the next batch.
      await this.cluster?.refreshMetadata().catch(() => undefined);
    }
  }

  /** See KafkaDirectStream.setRate. */
  setRate(recordsPerSecond: number): void {
    this.publishedRate = recordsPerSecond > 0 && Number.isFinite(recordsPerSecond) ? recordsPerSecond : 0;
  }

  /** Records that were in the log beyond batch `time`'s ranges when it was cut (null if unknown). */
  lagAfterBatch(time: number): number | null {
    return this.lagAfter.get(time) ?? null;
  }

  /** The ranges of batch `time` (none if Kafka could not be asked). */
  rangesOf(time: number): readonly OffsetRange[] {
    return this.tracker.batch(time)?.ranges ?? this.recomputedRanges.get(time) ?? [];
  }

  /** The log-end offset of a partition when batch `time` was cut: what lag is measured against. */
  logEndOffsetAt(time: number, topic: string, partition: number): number | undefined {
    return this.logEndOffsets.get(time)?.get(tpKey(topic, partition));
  }

  /**
   * True while batch `time` still counts: no failure has rewound the stream since it was
   * cut, and (after a restart) its transaction had not already committed.
   */
  isCurrentBatch(time: number): boolean {
    return !this.committedBeforeRestart.has(time) && this.tracker.isCurrent(time);
  }

  // ---- metadata checkpoints and restarts (docs/reliability.md) -----------------------

  /** Completed batches a restart recomputes (state since its last data checkpoint): only read, never committed. */
  private readonly recomputedRanges = new Map<number, readonly OffsetRange[]>();
  /** Exactly-once, after a restart: pending batches to compare with the group's committed offsets. */
  private pendingAfterRestart: number[] = [];
  /** Exactly-once: pending batches whose transaction had committed before the driver died: recomputed, not written again. */
  private readonly committedBeforeRestart = new Set<number>();

  /** Where each partition's next batch starts, for the metadata checkpoint. */
  positionsForCheckpoint(): Record<string, number> {
    return Object.fromEntries(this.tracker.positions);
  }

  /**
   * A driver restarted from a metadata checkpoint: positions continue where the last
   * generated batch ended; pending batches are rerun with their recorded ranges (and their
   * records are not committed yet); completed batches since the last data checkpoint are
   * there to be recomputed. With the exactly-once output the first batch asks Kafka which
   * pending batches' transactions did commit (see resync).
   */
  recover(positions: Record<string, number>, batches: Map<number, readonly OffsetRange[]>, pendingTimes: readonly number[]): void {
    const pending = new Set(pendingTimes);
    const committed = new Map(Object.entries(positions));
    for (const [tp, offset] of committed) this.tracker.track(tp, offset);
    for (const [time, ranges] of batches) {
      if (!pending.has(time)) {
        this.recomputedRanges.set(time, ranges);
        continue;
      }
      this.tracker.restoreBatch(time, [...ranges]);
      for (const r of ranges) {
        const tp = tpKey(r.topic, r.partition);
        if (r.fromOffset < (committed.get(tp) ?? Number.POSITIVE_INFINITY)) committed.set(tp, r.fromOffset);
      }
    }
    for (const [tp, offset] of committed) this.tracker.restoreCommitted(tp, offset);
    this.pendingAfterRestart = [...pending].filter((t) => batches.has(t)).sort((a, b) => a - b);
    this.settings.log(
      `${this.streamName}: resuming from the checkpoint at ${this.describePositions()}; ` +
        `${this.pendingAfterRestart.length} pending batch(es) rerun with their recorded ranges`,
    );
  }

  /** The engine's batch completion: commit what succeeded, re-read what failed. */
  onBatchCompleted(info: BatchInfo): void {
    const time = info.batchTime;
    const failed = Object.values(info.outputOperationInfos).some((op) => op.failureReason !== null);
    const batch = this.tracker.batch(time);
    const hasRecords = batch?.ranges.some((r) => r.untilOffset > r.fromOffset) ?? false;
    if (failed) {
      this.committer.batchFailed(time);
      if (hasRecords) this.handleFailedBatch(time);
    } else {
      this.committer.batchSucceeded(time);
    }
    this.tracker.finishBatch(time);
    this.logEndOffsets.delete(time);
    this.lagAfter.delete(time);
    this.committedBeforeRestart.delete(time);
    this.writtenInTransaction.delete(time);
    for (const t of this.recomputedRanges.keys()) if (t <= time) this.recomputedRanges.delete(t);
    if (this.tracker.batchesInFlight === 0) for (const w of this.inFlightWaiters.splice(0)) w();
  }

  private handleFailedBatch(time: number): void {
    const ranges = this.rangesOf(time).filter((r) => r.untilOffset > r.fromOffset);
    if (this.owner) {
      if (!this.tracker.isCurrent(time)) return;
      if (this.writtenInTransaction.has(time)) {
        // Another output operation failed; this batch's records and offsets are in Kafka,
        // and reading them again would count them twice in any state built on the stream.
        this.settings.log(`${this.streamName}: batch ${time} failed in another output operation; its exactly-once output committed, nothing is read again`);
        return;
      }
      // The transaction may or may not have committed (a lost answer to EndTxn): only
      // Kafka knows. The next batch fences the producer and asks it.
      this.tracker.invalidateBatches();
      this.needsResync = true;
      this.settings.log(`${this.streamName}: batch ${time} failed; the next batch resumes from the offsets committed in Kafka`);
      return;
    }
    if (this.settings.onBatchFailure === 'skip') {
      // Given up, as Spark does: later commits may move past these ranges.
      this.tracker.markProcessed(ranges);
      this.settings.log(`${this.streamName}: batch ${time} failed; its records ${ranges.map(describeRange).join(', ')} are skipped (onBatchFailure: 'skip')`);
      return;
    }
    if (this.tracker.rewindTo(time)) {
      this.settings.log(`${this.streamName}: batch ${time} failed; reading ${ranges.map(describeRange).join(', ')} again`);
    }
  }

  // ---- commits ---------------------------------------------------------------------

  attachOffsetsOwner(owner: TransactionalOffsetsOwner): void {
    if (this.owner) throw new Error(`${this.streamName} already has an exactly-once output; a stream's offsets can only be stored by one`);
    if (this.committer.hasPending) throw new Error(`${this.streamName}: commitAsync was used; it cannot be combined with an exactly-once output`);
    this.owner = owner;
  }

  /** Queues ranges to commit once the batch `batchTime` (null: the next one to complete) succeeds. */
  commitAsync(ranges: readonly OffsetRange[], batchTime: number | null, callback?: CommitCallback): void {
    if (this.owner) {
      throw new Error(
        `${this.streamName}: its offsets are committed by its exactly-once Kafka output, in the same transaction ` +
          'as the output; do not call commitAsync',
      );
    }
    this.committer.queue(ranges, batchTime, callback);
  }

  /** The output's transaction of batch `time` stored these offsets. */
  committedInTransaction(offsets: ReadonlyMap<string, number>, time: number): void {
    this.tracker.confirmCommitted(offsets);
    this.writtenInTransaction.add(time);
  }

  /** Batches whose exactly-once transaction committed, until they complete. */
  private readonly writtenInTransaction = new Set<number>();

  /** True once the group's committed offsets reach every offset of `offsets` (by tpKey): see writeBatchRetrying. */
  async groupHasCommitted(offsets: ReadonlyMap<string, number>): Promise<boolean> {
    try {
      const cluster = await this.connect();
      const committed = await fetchCommittedOffsets(cluster, this.settings.groupId, [...offsets.keys()].map(parseTpKey));
      return [...offsets].every(([tp, offset]) => (committed.get(tp) ?? -1) >= offset);
    } catch (err) {
      await this.cluster?.refreshMetadata().catch(() => undefined);
      throw err;
    }
  }

  /** The stream has stopped and closed its connections. */
  get stopped(): boolean {
    return this.isStopped;
  }

  // ---- lifecycle -------------------------------------------------------------------

  /** Lets batches already cut finish and commit, then closes the connections. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.tracker.batchesInFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      const finished = new Promise<boolean>((resolve) => this.inFlightWaiters.push(() => resolve(true)));
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.settings.stopTimeoutMs)));
      const done = await Promise.race([finished, timedOut]);
      clearTimeout(timer);
      if (!done) {
        this.settings.log(`${this.streamName}: stopped before ${this.tracker.batchesInFlight} batch(es) finished; their offsets stay uncommitted and are read again on restart`);
      }
    }
    await this.committer.flushed();
    this.isStopped = true;
    await this.owner?.close().catch(() => undefined);
    await this.cluster?.disconnect().catch(() => undefined);
    this.cluster = null;
  }

  // ---- Kafka -------------------------------------------------------------------------

  private async connect(): Promise<KafkaCluster> {
    if (this.isStopped) throw new Error(`${this.streamName} is stopped`);
    if (!this.cluster) {
      const cluster = createCluster(this.settings.driverConfig, { isolationLevel: this.settings.isolationLevel });
      try {
        await cluster.connect();
      } catch (err) {
        await cluster.disconnect().catch(() => undefined);
        throw err;
      }
      this.cluster = cluster;
    }
    return this.cluster;
  }

  /**
   * Exactly-once: before reading anything (at start, and after a failed batch), fence
   * earlier producers of the output's transactional id, which also ends any transaction
   * a killed driver left open; only then are the group's offsets final. Start from them.
   */
  private async resync(cluster: KafkaCluster): Promise<void> {
    if (this.owner && this.pendingAfterRestart.length > 0) {
      await this.owner.fence();
      await this.sortOutPendingAfterRestart(cluster);
      this.needsResync = false;
      return;
    }
    if (this.owner) {
      await this.owner.fence();
      const tracked = [...this.tracker.positions.keys()];
      if (tracked.length > 0) {
        const tps = this.discovery.partitions.filter((tp) => this.tracker.tracks(tpKey(tp.topic, tp.partition)));
        const committed = await fetchCommittedOffsets(cluster, this.settings.groupId, tps);
        const offsets = new Map<string, number>();
        for (const key of tracked) offsets.set(key, committed.get(key) ?? this.tracker.committedOffsets.get(key)!);
        this.tracker.resetTo(offsets);
        this.settings.log(`${this.streamName}: resuming from the offsets committed in Kafka: ${this.describePositions()}`);
      }
    }
    this.needsResync = false;
  }

  /**
   * Exactly-once after a restart: a pending batch whose offsets the group has committed
   * was written in a transaction before the driver died; it is recomputed (state needs
   * it) but not written again. The others are rerun and written.
   */
  private async sortOutPendingAfterRestart(cluster: KafkaCluster): Promise<void> {
    // Partitions come from the checkpoint: discovery has not run yet in this process.
    const tps = [...this.tracker.positions.keys()].map(parseTpKey);
    const committed = await fetchCommittedOffsets(cluster, this.settings.groupId, tps);
    const written: number[] = [];
    for (const time of this.pendingAfterRestart) {
      const ranges = this.tracker.batch(time)?.ranges.filter((r) => r.untilOffset > r.fromOffset) ?? [];
      if (ranges.length > 0 && ranges.every((r) => (committed.get(tpKey(r.topic, r.partition)) ?? -1) >= r.untilOffset)) {
        this.committedBeforeRestart.add(time);
        written.push(time);
      }
    }
    for (const [tp, offset] of committed) if (offset > (this.tracker.committedOffsets.get(tp) ?? -1)) this.tracker.restoreCommitted(tp, offset);
    this.pendingAfterRestart = [];
    if (written.length > 0) {
      this.settings.log(`${this.streamName}: pending batch(es) ${written.join(', ')} had committed their transaction before the restart; recomputed, not written again`);
    }
  }

  private describePositions(): string {
    const parts = [...this.tracker.positions].map(([key, offset]) => `${key.replace(/\/(\d+)$/, '-$1')}@${offset}`);
    return parts.length > 0 ? parts.join(', ') : `(no partitions of ${describeSubscription(this.settings.subscription)} yet)`;
  }
}
