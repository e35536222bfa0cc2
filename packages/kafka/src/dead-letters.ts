import type { DStream } from '@sluice/streaming';
import type { IHeaders } from 'kafkajs';
import type { KafkaConnectionOptions } from './connection.js';
import type { KafkaRecord } from './kafka-record.js';
import { writeToKafka } from './write-to-kafka.js';

/** A record the job could not decode, and why. */
export interface DeadLetter {
  record: KafkaRecord;
  /** "<error name>: <message>" of what the decoder threw. */
  reason: string;
}

export interface DecodedStreams<T> {
  /** What the decoder returned, for every record it could decode. */
  values: DStream<T>;
  /** The records it threw on. Give them an output: writeDeadLetters, or any foreachRDD. */
  deadLetters: DStream<DeadLetter>;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; dead: DeadLetter };

const MAX_REASON_LENGTH = 1000;

/**
 * Decodes records with `decode`; a record it throws on becomes a dead letter instead of
 * failing the batch, and the other records of the batch go on.
 *
 * Both streams come from one decoding stream; each output operation computes its own
 * lineage (as everywhere in the engine), so with an output on each the batch's ranges
 * are read twice from Kafka.
 */
export function decodeRecords<T>(stream: DStream<KafkaRecord>, decode: (record: KafkaRecord) => T): DecodedStreams<T> {
  const attempts = stream.map((record): Attempt<T> => {
    try {
      return { ok: true, value: decode(record) };
    } catch (err) {
      return { ok: false, dead: { record, reason: reasonOf(err) } };
    }
  });
  return {
    values: attempts.flatMap((a) => (a.ok ? [a.value] : [])),
    deadLetters: attempts.flatMap((a) => (a.ok ? [] : [a.dead])),
  };
}

function reasonOf(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : `thrown: ${String(err)}`;
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH)}...` : text;
}

/** Header names a dead letter carries, besides the original record's headers. */
export const DEAD_LETTER_HEADERS = {
  reason: 'sluice.dead-letter.reason',
  topic: 'sluice.dead-letter.topic',
  partition: 'sluice.dead-letter.partition',
  offset: 'sluice.dead-letter.offset',
  timestamp: 'sluice.dead-letter.timestamp',
} as const;

/** The original headers plus where the record came from and why it was rejected. */
export function deadLetterHeaders(dead: DeadLetter): IHeaders {
  return {
    ...dead.record.headers,
    [DEAD_LETTER_HEADERS.reason]: dead.reason,
    [DEAD_LETTER_HEADERS.topic]: dead.record.topic,
    [DEAD_LETTER_HEADERS.partition]: String(dead.record.partition),
    [DEAD_LETTER_HEADERS.offset]: String(dead.record.offset),
    [DEAD_LETTER_HEADERS.timestamp]: String(dead.record.timestamp),
  };
}

/**
 * Writes dead letters to a Kafka topic: the original key and value, unchanged, with the
 * original headers and the DEAD_LETTER_HEADERS. At-least-once, like writeToKafka.
 */
export function writeDeadLetters(deadLetters: DStream<DeadLetter>, options: KafkaConnectionOptions & { topic: string }): void {
  writeToKafka(deadLetters, {
    ...options,
    key: (d) => d.record.key,
    value: (d) => d.record.value,
    headers: deadLetterHeaders,
  });
}
