import type { BatchInfo } from '@sluice/streaming';
import type { DirectStreamSettings } from './direct-stream-options';
import { explainKafkaError } from './kafka-errors';
import { createCluster, type KafkaCluster } from './kafkajs-cluster';
import { commitGroupOffsets, fetchCommittedOffsets } from './group-offsets';
import { fetchLogOffsets } from './log-offsets';
import { describeRange, tpKey, type OffsetRange, type TopicPartition } from './offset-range';
import { OffsetTracker } from './offset-tracker';
import { OutageLog } from './outage-log';
import { clampUntilOffsets } from './rate-limit';
import { decideStart, type StartingOffsets } from './starting-offsets';
import { describeSubscription, matchPartitions } from './subscription';

/** Called once the group's offsets are stored (or could not be): Spark's OffsetCommitCallback. */
export type CommitCallback = (error: Error | null, offsets: ReadonlyMap<string, number>) => void;

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

interface PendingCommit {
  batchTime: number | null;
  ranges: OffsetRange[];
  callback: CommitCallback | undefined;
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
  private partitions: TopicPartition[] = [];
  private discovered = false;
  private lastDiscovery = 0;
  private missingReported = '';
  private needsResync = true;
  private owner: TransactionalOffsetsOwner | null = null;
  private readonly pendingCommits: PendingCommit[] = [];
  private commits: Promise<void> = Promise.resolve();
  private stopping = false;
  private readonly inFlightWaiters: (() => void)[] = [];
  private readonly prepareOutage: OutageLog;
  private readonly commitOutage: OutageLog;

  constructor(
    private readonly settings: DirectStreamSettings,
    private readonly batchDurationMs: number,
    private readonly streamName: string,
  ) {
    const what = `${streamName} (group ${settings.groupId})`;
    this.prepareOutage = new OutageLog(settings.log, what, settings.brokers, 'the stream reads nothing until Kafka answers again (tried every batch); no offsets are skipped');
    this.commitOutage = new OutageLog(settings.log, `${what}: committing offsets`, settings.brokers, 'the offsets will be committed with a later batch');
  }

  // ---- batches ---------------------------------------------------------------------

  /** Cuts the offset ranges of batch `time`. On any Kafka error the batch gets no ranges. */
  async prepareBatch(time: number): Promise<void> {
    if (this.stopping) return;
    try {
      const cluster = await this.connect();
      if (this.needsResync) await this.resync(cluster);
      await this.discover(cluster);
      const latest = await fetchLogOffsets(cluster, this.partitions, 'latest');
      const current = new Map<string, number>();
      for (const tp of this.partitions) {
        const key = tpKey(tp.topic, tp.partition);
        const at = this.tracker.positions.get(key);
        if (at !== undefined && latest.has(key)) current.set(key, at);
      }
      const until = clampUntilOffsets(current, latest, {
        maxRatePerPartition: this.settings.maxRatePerPartition,
        minRatePerPartition: this.settings.minRatePerPartition,
        batchDurationMs: this.batchDurationMs,
      });
      this.tracker.cutBatch(time, until);
      this.prepareOutage.recovered(`resuming at ${this.describePositions()}`);
    } catch (err) {
      this.prepareOutage.failed(err);
    }
  }

  /** The ranges of batch `time` (none if Kafka could not be asked). */
  rangesOf(time: number): readonly OffsetRange[] {
    return this.tracker.batch(time)?.ranges ?? [];
  }

  /** True while batch `time` still counts: no failure has rewound the stream since it was cut. */
  isCurrentBatch(time: number): boolean {
    return this.tracker.isCurrent(time);
  }

  /** The engine's batch completion: commit what succeeded, re-read what failed. */
  onBatchCompleted(info: BatchInfo): void {
    const time = info.batchTime;
    const failed = Object.values(info.outputOperationInfos).some((op) => op.failureReason !== null);
    const batch = this.tracker.batch(time);
    const hasRecords = batch?.ranges.some((r) => r.untilOffset > r.fromOffset) ?? false;
    if (failed) {
      this.dropCommitsOf(time);
      if (hasRecords) this.handleFailedBatch(time);
    } else {
      this.commitProcessed(time);
    }
    this.tracker.finishBatch(time);
    if (this.tracker.batchesInFlight === 0) for (const w of this.inFlightWaiters.splice(0)) w();
  }

  private handleFailedBatch(time: number): void {
    const ranges = this.rangesOf(time).filter((r) => r.untilOffset > r.fromOffset);
    if (this.owner) {
      if (!this.tracker.isCurrent(time)) return;
      // The transaction may or may not have committed (a lost answer to EndTxn): only
      // Kafka knows. The next batch fences the producer and asks it.
      this.tracker.invalidateBatches();
      this.needsResync = true;
      this.settings.log(`${this.streamName}: batch ${time} failed; the next batch resumes from the offsets committed in Kafka`);
      return;
    }
    if (this.settings.onBatchFailure === 'skip') {
      this.settings.log(`${this.streamName}: batch ${time} failed; its offsets ${ranges.map(describeRange).join(', ')} are not committed (onBatchFailure: 'skip')`);
      return;
    }
    if (this.tracker.rewindTo(time)) {
      this.settings.log(`${this.streamName}: batch ${time} failed; reading ${ranges.map(describeRange).join(', ')} again`);
    }
  }

  // ---- commits ---------------------------------------------------------------------

  attachOffsetsOwner(owner: TransactionalOffsetsOwner): void {
    if (this.owner) throw new Error(`${this.streamName} already has an exactly-once output; a stream's offsets can only be stored by one`);
    if (this.pendingCommits.length > 0) throw new Error(`${this.streamName}: commitAsync was used; it cannot be combined with an exactly-once output`);
    this.owner = owner;
  }

  get hasOffsetsOwner(): boolean {
    return this.owner !== null;
  }

  /** Queues ranges to commit once the batch `batchTime` (null: the next one to complete) succeeds. */
  commitAsync(ranges: readonly OffsetRange[], batchTime: number | null, callback?: CommitCallback): void {
    if (this.owner) {
      throw new Error(
        `${this.streamName}: its offsets are committed by its exactly-once Kafka output, in the same transaction ` +
          'as the output; do not call commitAsync',
      );
    }
    this.pendingCommits.push({ batchTime, ranges: [...ranges], callback });
  }

  /** The output's transaction stored these offsets. */
  committedInTransaction(offsets: ReadonlyMap<string, number>): void {
    this.tracker.confirmCommitted(offsets);
  }

  private dropCommitsOf(time: number): void {
    for (let i = this.pendingCommits.length - 1; i >= 0; i--) {
      const c = this.pendingCommits[i]!;
      if (c.batchTime === time) {
        this.pendingCommits.splice(i, 1);
        c.callback?.(new Error(`batch ${time} failed, so its offsets were not committed`), new Map());
      }
    }
  }

  private commitProcessed(time: number): void {
    const due = this.pendingCommits.filter((c) => c.batchTime === null || c.batchTime <= time);
    if (due.length === 0) return;
    this.pendingCommits.splice(0, this.pendingCommits.length, ...this.pendingCommits.filter((c) => !due.includes(c)));
    const targets = this.tracker.markProcessed(due.flatMap((c) => c.ranges));
    // One commit at a time, in batch order, so an older commit never lands after a newer one.
    this.commits = this.commits.then(async () => {
      try {
        if (targets.size > 0) {
          await commitGroupOffsets(await this.connect(), this.settings.groupId, targets);
          this.tracker.confirmCommitted(targets);
        }
        this.commitOutage.recovered('committed');
        for (const c of due) c.callback?.(null, targets);
      } catch (err) {
        this.commitOutage.failed(err);
        const error = new Error(`committing offsets of group ${this.settings.groupId}: ${explainKafkaError(err, this.settings.brokers)}`, { cause: err });
        for (const c of due) c.callback?.(error, targets);
      }
    });
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
    await this.commits;
    await this.owner?.close().catch(() => undefined);
    await this.cluster?.disconnect().catch(() => undefined);
    this.cluster = null;
  }

  // ---- Kafka -------------------------------------------------------------------------

  private async connect(): Promise<KafkaCluster> {
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
    if (this.owner) {
      await this.owner.fence();
      const tracked = [...this.tracker.positions.keys()];
      if (tracked.length > 0) {
        const tps = this.partitions.filter((tp) => this.tracker.tracks(tpKey(tp.topic, tp.partition)));
        const committed = await fetchCommittedOffsets(cluster, this.settings.groupId, tps);
        const offsets = new Map<string, number>();
        for (const key of tracked) offsets.set(key, committed.get(key) ?? this.tracker.committedOffsets.get(key)!);
        this.tracker.resetTo(offsets);
        this.settings.log(`${this.streamName}: resuming from the offsets committed in Kafka: ${this.describePositions()}`);
      }
    }
    this.needsResync = false;
  }

  /** Finds the subscription's partitions (at most every partitionDiscoveryIntervalMs) and starts new ones. */
  private async discover(cluster: KafkaCluster): Promise<void> {
    const now = Date.now();
    if (this.discovered && now - this.lastDiscovery < this.settings.partitionDiscoveryIntervalMs) return;
    const { partitions, missing } = matchPartitions(this.settings.subscription, await cluster.metadata());
    const missingNow = missing.join(',');
    if (missingNow !== this.missingReported && missing.length > 0) {
      this.settings.log(`${this.streamName}: not in the cluster (yet): ${missingNow}; it is read once it exists`);
    }
    this.missingReported = missingNow;
    await cluster.addMultipleTargetTopics([...new Set(partitions.map((tp) => tp.topic))]);
    const fresh = partitions.filter((tp) => !this.tracker.tracks(tpKey(tp.topic, tp.partition)));
    if (fresh.length > 0) await this.startPartitions(cluster, fresh);
    this.partitions = partitions;
    this.discovered = true;
    this.lastDiscovery = now;
  }

  private async startPartitions(cluster: KafkaCluster, fresh: TopicPartition[]): Promise<void> {
    // The metadata cache may predate the new partitions; ListOffsets needs their leaders.
    await cluster.refreshMetadata();
    const [committed, low, high] = await Promise.all([
      fetchCommittedOffsets(cluster, this.settings.groupId, fresh),
      fetchLogOffsets(cluster, fresh, 'earliest'),
      fetchLogOffsets(cluster, fresh, 'latest'),
    ]);
    // Partitions found after the first discovery were created while the stream ran:
    // all their records are new, so they start at the beginning.
    const starting: StartingOffsets = this.discovered && typeof this.settings.startingOffsets === 'string' ? 'earliest' : this.settings.startingOffsets;
    const started: string[] = [];
    for (const tp of fresh) {
      const key = tpKey(tp.topic, tp.partition);
      const bounds = { low: low.get(key), high: high.get(key) };
      if (bounds.low === undefined || bounds.high === undefined) continue; // no leader yet: next discovery
      const decision = decideStart(tp.topic, tp.partition, committed.get(key), starting, { low: bounds.low, high: bounds.high }, this.discovered ? 'earliest' : 'latest');
      if (decision.note) this.settings.log(`${this.streamName}: ${decision.note}`);
      this.tracker.track(key, decision.offset);
      started.push(`${tp.topic}-${tp.partition}@${decision.offset}${committed.has(key) ? ' (committed)' : ''}`);
    }
    if (started.length > 0) this.settings.log(`${this.streamName}: reading ${started.join(', ')}`);
  }

  private describePositions(): string {
    const parts = [...this.tracker.positions].map(([key, offset]) => `${key.replace(/\/(\d+)$/, '-$1')}@${offset}`);
    return parts.length > 0 ? parts.join(', ') : `(no partitions of ${describeSubscription(this.settings.subscription)} yet)`;
  }
}
