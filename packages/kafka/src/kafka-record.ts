import { toOffset } from './offset-range.js';

/** Header values as Kafka delivers them: one Buffer, or several for a repeated key. */
export type KafkaHeaders = Record<string, Buffer | Buffer[] | undefined>;

/**
 * One record read by the direct stream. `offset` and `timestamp` are numbers (see
 * offset-range.ts for why numbers are safe for offsets); key and value are the raw bytes,
 * as views of the Fetch response they came in: no copy is made per record, and a record
 * kept after its task keeps that whole response (up to fetchMaxBytes) alive. Copy what
 * you keep.
 */
export interface KafkaRecord {
  topic: string;
  partition: number;
  offset: number;
  /** Milliseconds since the epoch (create time or log-append time, as the topic says). */
  timestamp: number;
  /** The key's bytes: a view of the fetched data, valid for as long as the record is kept. */
  key: Buffer | null;
  value: Buffer | null;
  /** Read-only: records without headers share one frozen empty object. */
  headers: Readonly<KafkaHeaders>;
}

/** The fields of a record as kafkajs decodes it from a fetch response. */
export interface FetchedMessage {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | Buffer[] | string | string[] | undefined>;
  isControlRecord?: boolean;
  batchContext?: { firstOffset: string; lastOffsetDelta: number; producerId: string; inTransaction: boolean };
}

export function recordFromFetched(topic: string, partition: number, offset: number, m: FetchedMessage): KafkaRecord {
  return {
    topic,
    partition,
    offset,
    timestamp: toOffset(m.timestamp, 'record timestamp'),
    key: m.key,
    value: m.value,
    headers: (m.headers ?? {}) as KafkaHeaders,
  };
}
