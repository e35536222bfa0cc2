import type { DirectStreamSettings } from './direct-stream-options.js';
import { commitGroupOffsets } from './group-offsets.js';
import { explainKafkaError } from './kafka-errors.js';
import type { KafkaCluster } from './kafkajs-cluster.js';
import type { OffsetRange } from './offset-range.js';
import type { OffsetTracker } from './offset-tracker.js';
import { OutageLog } from './outage-log.js';

/** Called once the group's offsets are stored (or could not be): Spark's OffsetCommitCallback. */
export type CommitCallback = (error: Error | null, offsets: ReadonlyMap<string, number>) => void;

interface PendingCommit {
  batchTime: number | null;
  ranges: OffsetRange[];
  callback: CommitCallback | undefined;
}

/**
 * commitAsync: ranges wait here until their batch completes. If every output of the
 * batch succeeded they are committed for the group (as far as the tracker allows, see
 * OffsetTracker.markProcessed); if one failed they are dropped.
 */
export class OffsetCommitter {
  private readonly pending: PendingCommit[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly outage: OutageLog;

  constructor(
    private readonly settings: DirectStreamSettings,
    private readonly tracker: OffsetTracker,
    private readonly connect: () => Promise<KafkaCluster>,
    what: string,
  ) {
    this.outage = new OutageLog(settings.log, `${what}: committing offsets`, settings.brokers, 'the offsets will be committed with a later batch');
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Queues ranges for batch `batchTime` (null: whichever batch completes next). */
  queue(ranges: readonly OffsetRange[], batchTime: number | null, callback?: CommitCallback): void {
    this.pending.push({ batchTime, ranges: [...ranges], callback });
  }

  batchFailed(time: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const c = this.pending[i]!;
      if (c.batchTime === time) {
        this.pending.splice(i, 1);
        c.callback?.(new Error(`batch ${time} failed, so its offsets were not committed`), new Map());
      }
    }
  }

  batchSucceeded(time: number): void {
    const due = this.pending.filter((c) => c.batchTime === null || c.batchTime <= time);
    if (due.length === 0) return;
    const left = this.pending.filter((c) => !due.includes(c));
    this.pending.splice(0, this.pending.length, ...left);
    const targets = this.tracker.markProcessed(due.flatMap((c) => c.ranges));
    // One commit at a time, in batch order, so an older commit never lands after a newer one.
    this.chain = this.chain.then(async () => {
      try {
        if (targets.size > 0) {
          await commitGroupOffsets(await this.connect(), this.settings.groupId, targets);
          this.tracker.confirmCommitted(targets);
        }
        this.outage.recovered('committed');
        for (const c of due) c.callback?.(null, targets);
      } catch (err) {
        this.outage.failed(err);
        const error = new Error(`committing offsets of group ${this.settings.groupId}: ${explainKafkaError(err, this.settings.brokers)}`, { cause: err });
        for (const c of due) c.callback?.(error, targets);
      }
    });
  }

  /** Resolves when the commits queued so far are done (or failed). */
  flushed(): Promise<void> {
    return this.chain;
  }
}
