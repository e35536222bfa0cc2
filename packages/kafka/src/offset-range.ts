/**
 * A slice of one topic-partition: offsets [fromOffset, untilOffset), as Spark's
 * OffsetRange. Each batch of a direct stream has one per topic-partition, fixed when the
 * batch is generated.
 *
 * Offsets are JavaScript numbers. Kafka offsets are 64-bit, but a partition would need
 * 2^53 records (9 x 10^15: three centuries at a million records a second) before a
 * number loses precision; `toOffset` refuses such offsets rather than rounding them.
 */
export interface OffsetRange {
  readonly topic: string;
  readonly partition: number;
  /** First offset of the range (inclusive). */
  readonly fromOffset: number;
  /** End of the range (exclusive): the offset to commit once the range is processed. */
  readonly untilOffset: number;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** How many offsets the range spans (records, or fewer where compaction or markers left gaps). */
export function rangeSize(range: OffsetRange): number {
  return range.untilOffset - range.fromOffset;
}

/** A map key for a topic-partition (topic names are [a-zA-Z0-9._-], so '/' cannot be part of one). */
export function tpKey(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}

export function parseTpKey(key: string): TopicPartition {
  const slash = key.lastIndexOf('/');
  return { topic: key.slice(0, slash), partition: Number(key.slice(slash + 1)) };
}

/** Kafka's string offsets (as kafkajs returns them) as numbers, refusing any beyond 2^53. */
export function toOffset(value: string | number, what: string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new Error(`${what}: offset ${value} is not an integer below 2^53, which Sluice cannot represent exactly`);
  }
  return n;
}

export function describeRange(r: OffsetRange): string {
  return `${r.topic}-${r.partition} [${r.fromOffset}, ${r.untilOffset})`;
}

/** Sorts by topic, then partition: the order of a batch's RDD partitions. */
export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}
