import type { IHeaders, Message, TopicMessages } from 'kafkajs';

/** Bytes for a key or value: a Buffer, a string (UTF-8), or null. */
export type KafkaBytes = Buffer | string | null;

/** A record to produce, after serialization. */
export interface OutgoingMessage {
  topic: string;
  partition?: number;
  key: KafkaBytes;
  value: KafkaBytes;
  headers?: IHeaders;
}

/** How the elements of a DStream become Kafka records. */
export interface MessageSerializers<T> {
  /** The topic of every record, or a function choosing one per element (e.g. to route dead letters). */
  topic: string | ((element: T) => string);
  /** The record key (default: none, so the partitioner spreads records). */
  key?: (element: T) => KafkaBytes;
  /** The record value. Default: Buffers and strings as they are, null as null, anything else as JSON. */
  value?: (element: T) => KafkaBytes;
  headers?: (element: T) => IHeaders | undefined;
  /** An explicit partition (default: kafkajs' default partitioner, by key hash, or sticky without a key). */
  partition?: (element: T) => number | undefined;
}

export function serializerOf<T>(s: MessageSerializers<T>): (element: T) => OutgoingMessage {
  const topicOf = typeof s.topic === 'string' ? constant(s.topic) : s.topic;
  const valueOf = s.value ?? defaultValue;
  return (element) => {
    const message: OutgoingMessage = { topic: topicOf(element), key: s.key ? s.key(element) : null, value: valueOf(element) };
    const headers = s.headers?.(element);
    if (headers) message.headers = headers;
    const partition = s.partition?.(element);
    if (partition !== undefined) message.partition = partition;
    return message;
  };
}

function constant(topic: string): () => string {
  return () => topic;
}

export function defaultValue(element: unknown): KafkaBytes {
  if (element === null || element === undefined) return null;
  if (Buffer.isBuffer(element) || typeof element === 'string') return element;
  if (element instanceof Uint8Array) return Buffer.from(element.buffer, element.byteOffset, element.byteLength);
  const json = JSON.stringify(element);
  if (json === undefined) throw new Error(`cannot write ${typeof element} to Kafka as JSON: give writeToKafka a \`value\` serializer`);
  return json;
}

/** Roughly what a record takes in a produce request. */
function approximateSize(m: OutgoingMessage): number {
  let size = 70 + byteLength(m.key) + byteLength(m.value);
  if (m.headers) {
    for (const [k, v] of Object.entries(m.headers)) {
      for (const item of Array.isArray(v) ? v : [v]) size += k.length + byteLength(item ?? null) + 4;
    }
  }
  return size;
}

function byteLength(b: KafkaBytes | undefined): number {
  if (b === null || b === undefined) return 0;
  return typeof b === 'string' ? Buffer.byteLength(b) : b.byteLength;
}

/**
 * Splits messages into produce requests of at most `maxBytes`. kafkajs sends each
 * partition's share of one request as one record batch, and a broker refuses batches
 * over its message.max.bytes (1 MB by default), so requests stay below that.
 */
export function chunkMessages(messages: readonly OutgoingMessage[], maxBytes: number): OutgoingMessage[][] {
  const chunks: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = approximateSize(m);
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** kafkajs' sendBatch shape: messages grouped by topic. */
export function toTopicMessages(messages: readonly OutgoingMessage[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const m of messages) {
    let list = byTopic.get(m.topic);
    if (!list) byTopic.set(m.topic, (list = []));
    const message: Message = { key: m.key, value: m.value };
    if (m.headers) message.headers = m.headers;
    if (m.partition !== undefined) message.partition = m.partition;
    list.push(message);
  }
  return [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs }));
}
