import type { ClusterMetadata } from './kafkajs-cluster.js';
import { compareTopicPartitions, type TopicPartition } from './offset-range.js';

/** Which topic-partitions the stream reads: Spark's ConsumerStrategies. */
export type Subscription =
  | { kind: 'subscribe'; topics: readonly string[] }
  | { kind: 'pattern'; pattern: RegExp }
  | { kind: 'assign'; partitions: readonly TopicPartition[] };

export interface SubscriptionOptions {
  /** Every partition of these topics, including partitions added later. */
  subscribe?: string[];
  /** Every partition of every topic whose name the pattern matches (RegExp.test), including topics created later. */
  subscribePattern?: RegExp;
  /** Exactly these partitions. */
  assign?: TopicPartition[];
}

export function subscriptionFrom(options: SubscriptionOptions): Subscription {
  const given = [options.subscribe, options.subscribePattern, options.assign].filter((x) => x !== undefined).length;
  if (given !== 1) {
    throw new Error('createDirectStream: give exactly one of `subscribe` (topics), `subscribePattern` (a RegExp) or `assign` (topic-partitions)');
  }
  if (options.subscribe) {
    if (options.subscribe.length === 0) throw new Error('createDirectStream: `subscribe` needs at least one topic');
    for (const t of options.subscribe) validateTopicName(t);
    return { kind: 'subscribe', topics: [...new Set(options.subscribe)] };
  }
  if (options.subscribePattern) {
    if (!(options.subscribePattern instanceof RegExp)) throw new Error('createDirectStream: `subscribePattern` must be a RegExp');
    // A global or sticky RegExp keeps state between test() calls; drop those flags.
    const p = options.subscribePattern;
    return { kind: 'pattern', pattern: new RegExp(p.source, p.flags.replace(/[gy]/g, '')) };
  }
  const partitions = options.assign!;
  if (partitions.length === 0) throw new Error('createDirectStream: `assign` needs at least one topic-partition');
  for (const tp of partitions) {
    validateTopicName(tp.topic);
    if (!Number.isInteger(tp.partition) || tp.partition < 0) {
      throw new Error(`createDirectStream: invalid partition ${tp.partition} of topic ${tp.topic} in \`assign\``);
    }
  }
  return { kind: 'assign', partitions: [...partitions].sort(compareTopicPartitions) };
}

function validateTopicName(topic: string): void {
  if (typeof topic !== 'string' || !/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) {
    throw new Error(`invalid Kafka topic name ${JSON.stringify(topic)}: use 1-249 characters of a-z A-Z 0-9 . _ -`);
  }
}

export function describeSubscription(s: Subscription): string {
  if (s.kind === 'subscribe') return s.topics.join(',');
  if (s.kind === 'pattern') return `/${s.pattern.source}/`;
  return s.partitions.map((tp) => `${tp.topic}-${tp.partition}`).join(',');
}

export interface MatchedPartitions {
  partitions: TopicPartition[];
  /** Subscribed or assigned topics (or partitions) the cluster does not have (yet). */
  missing: string[];
}

/** The topic-partitions of the cluster's metadata that the subscription selects. */
export function matchPartitions(s: Subscription, metadata: ClusterMetadata): MatchedPartitions {
  const byTopic = new Map(metadata.topicMetadata.map((t) => [t.topic, t]));
  const partitions: TopicPartition[] = [];
  const missing: string[] = [];
  const addTopic = (topic: string): void => {
    const t = byTopic.get(topic);
    if (!t || t.partitionMetadata.length === 0) {
      missing.push(topic);
      return;
    }
    for (const p of t.partitionMetadata) partitions.push({ topic, partition: p.partitionId });
  };
  if (s.kind === 'subscribe') {
    for (const topic of s.topics) addTopic(topic);
  } else if (s.kind === 'pattern') {
    for (const t of metadata.topicMetadata) {
      if (t.isInternal || t.topic.startsWith('__')) continue;
      if (s.pattern.test(t.topic)) addTopic(t.topic);
    }
  } else {
    for (const tp of s.partitions) {
      const t = byTopic.get(tp.topic);
      if (t?.partitionMetadata.some((p) => p.partitionId === tp.partition)) partitions.push(tp);
      else missing.push(`${tp.topic}-${tp.partition}`);
    }
  }
  partitions.sort(compareTopicPartitions);
  return { partitions, missing };
}
