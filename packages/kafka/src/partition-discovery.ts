import type { DirectStreamSettings } from './direct-stream-options.js';
import { fetchCommittedOffsets } from './group-offsets.js';
import type { KafkaCluster } from './kafkajs-cluster.js';
import { fetchLogOffsets } from './log-offsets.js';
import { tpKey, type TopicPartition } from './offset-range.js';
import type { OffsetTracker } from './offset-tracker.js';
import { decideStart, type StartingOffsets } from './starting-offsets.js';
import { matchPartitions } from './subscription.js';

/**
 * Keeps the stream's list of topic-partitions up to date (at most every
 * partitionDiscoveryIntervalMs) and starts following new ones at their start offset:
 * the group's committed offset, else the starting offsets for the partitions of the
 * first discovery, else the beginning for partitions and topics created later.
 */
export class PartitionDiscovery {
  private current: TopicPartition[] = [];
  private discovered = false;
  private lastDiscovery = 0;
  private missingReported = '';

  constructor(
    private readonly settings: DirectStreamSettings,
    private readonly tracker: OffsetTracker,
    private readonly streamName: string,
  ) {}

  /** The partitions of the last discovery. */
  get partitions(): readonly TopicPartition[] {
    return this.current;
  }

  async refresh(cluster: KafkaCluster): Promise<void> {
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
    if (fresh.length > 0) await this.start(cluster, fresh);
    this.current = partitions;
    this.discovered = true;
    this.lastDiscovery = now;
  }

  private async start(cluster: KafkaCluster, fresh: TopicPartition[]): Promise<void> {
    // The metadata cache may predate the new partitions; ListOffsets needs their leaders.
    await cluster.refreshMetadata();
    const [committed, low, high] = await Promise.all([
      fetchCommittedOffsets(cluster, this.settings.groupId, fresh),
      fetchLogOffsets(cluster, fresh, 'earliest'),
      fetchLogOffsets(cluster, fresh, 'latest'),
    ]);
    // Partitions found after the first discovery were created while the stream ran:
    // all their records are new, so they start at the beginning.
    const later = this.discovered;
    const starting: StartingOffsets = later && typeof this.settings.startingOffsets === 'string' ? 'earliest' : this.settings.startingOffsets;
    const started: string[] = [];
    for (const tp of fresh) {
      const key = tpKey(tp.topic, tp.partition);
      const lowOffset = low.get(key);
      const highOffset = high.get(key);
      if (lowOffset === undefined || highOffset === undefined) continue; // no leader yet: the next discovery retries
      const decision = decideStart(tp.topic, tp.partition, committed.get(key), starting, { low: lowOffset, high: highOffset }, later ? 'earliest' : 'latest');
      if (decision.note) this.settings.log(`${this.streamName}: ${decision.note}`);
      this.tracker.track(key, decision.offset);
      started.push(`${tp.topic}-${tp.partition}@${decision.offset}${committed.has(key) ? ' (committed)' : ''}`);
    }
    if (started.length > 0) this.settings.log(`${this.streamName}: reading ${started.join(', ')}`);
  }
}
