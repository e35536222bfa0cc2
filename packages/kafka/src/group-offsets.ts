import type { KafkaCluster } from './kafkajs-cluster.js';
import { parseTpKey, toOffset, tpKey, type TopicPartition } from './offset-range.js';

interface TopicOffsetsOut {
  topic: string;
  partitions: { partition: number; offset: string }[];
}

/**
 * The group's committed offsets, by tpKey; partitions without one are left out.
 *
 * The direct stream stores its offsets in a consumer group that has no members: nobody
 * joins it, the driver only reads and writes its offsets (as `kafka-consumer-groups.sh`
 * or a Java consumer with assign() does).
 */
export async function fetchCommittedOffsets(
  cluster: KafkaCluster,
  groupId: string,
  partitions: readonly TopicPartition[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (partitions.length === 0) return out;
  const topics = groupByTopic(partitions.map((tp) => [tp, undefined] as const)).map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p) => ({ partition: p.partition })),
  }));
  const response = await withCoordinator(cluster, groupId, (coordinator) =>
    coordinator.offsetFetch({ groupId, topics } as never),
  );
  for (const t of (response).responses) {
    for (const p of t.partitions) {
      const offset = toOffset(p.offset, `committed offset of ${t.topic}-${p.partition}`);
      if (offset >= 0) out.set(tpKey(t.topic, p.partition), offset);
    }
  }
  return out;
}

/** Stores `offsets` (by tpKey) as the group's committed offsets. */
export async function commitGroupOffsets(cluster: KafkaCluster, groupId: string, offsets: ReadonlyMap<string, number>): Promise<void> {
  if (offsets.size === 0) return;
  const topics: TopicOffsetsOut[] = groupByTopic([...offsets].map(([key, offset]) => [parseTpKey(key), offset] as const)).map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p) => ({ partition: p.partition, offset: String(p.value) })),
  }));
  try {
    await withCoordinator(cluster, groupId, (coordinator) =>
      // Generation -1 and no member id: a commit from outside the group protocol, which
      // the coordinator accepts while the group has no active members.
      coordinator.offsetCommit({ groupId, groupGenerationId: -1, memberId: '', topics }),
    );
  } catch (err) {
    const type = (err as { type?: string }).type;
    if (type === 'ILLEGAL_GENERATION' || type === 'UNKNOWN_MEMBER_ID' || type === 'REBALANCE_IN_PROGRESS') {
      throw new Error(
        `consumer group "${groupId}" has active members (${type}): the direct stream keeps its offsets in a group ` +
          'that nobody joins; give the stream a groupId of its own',
        { cause: err },
      );
    }
    throw err;
  }
}

const COORDINATOR_MOVED = new Set(['NOT_COORDINATOR_FOR_GROUP', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS']);

async function withCoordinator<R>(
  cluster: KafkaCluster,
  groupId: string,
  request: (coordinator: Awaited<ReturnType<KafkaCluster['findGroupCoordinator']>>) => Promise<R>,
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const coordinator = await cluster.findGroupCoordinator({ groupId });
    try {
      return await request(coordinator);
    } catch (err) {
      if (attempt >= 3 || !COORDINATOR_MOVED.has((err as { type?: string }).type ?? '')) throw err;
      await cluster.refreshMetadata().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

function groupByTopic<V>(entries: readonly (readonly [TopicPartition, V])[]): { topic: string; partitions: { partition: number; value: V }[] }[] {
  const byTopic = new Map<string, { partition: number; value: V }[]>();
  for (const [tp, value] of entries) {
    let list = byTopic.get(tp.topic);
    if (!list) byTopic.set(tp.topic, (list = []));
    list.push({ partition: tp.partition, value });
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}
