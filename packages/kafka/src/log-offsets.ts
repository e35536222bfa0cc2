import type { KafkaCluster } from './kafkajs-cluster.js';
import { toOffset, tpKey, type TopicPartition } from './offset-range.js';

/**
 * The first offset (fromBeginning) or the end (latest) of each partition, by tpKey, with
 * ListOffsets. The end is what a reader of the cluster's isolation level may see: the
 * high watermark, or the last stable offset for read_committed (records of open
 * transactions are not in any batch until they are committed).
 */
export async function fetchLogOffsets(
  cluster: KafkaCluster,
  partitions: readonly TopicPartition[],
  which: 'earliest' | 'latest',
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (partitions.length === 0) return out;
  const byTopic = new Map<string, { partition: number }[]>();
  for (const tp of partitions) {
    let list = byTopic.get(tp.topic);
    if (!list) byTopic.set(tp.topic, (list = []));
    list.push({ partition: tp.partition });
  }
  const response = await cluster.fetchTopicsOffset(
    [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps, fromBeginning: which === 'earliest' })),
  );
  for (const t of response) {
    for (const p of t.partitions) out.set(tpKey(t.topic, p.partition), toOffset(p.offset, `${which} offset of ${t.topic}-${p.partition}`));
  }
  return out;
}
