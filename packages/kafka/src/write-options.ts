import type { CompressionTypes } from 'kafkajs';
import { validateConnection, type KafkaConnectionOptions } from './connection.js';
import type { KafkaDirectStream } from './direct-stream.js';
import type { MessageSerializers } from './outgoing-message.js';

export interface ExactlyOnceOptions {
  /**
   * The direct stream this output's records come from. Its offsets are committed in the
   * same transaction as the output (and by nothing else), and it starts from them.
   */
  source: KafkaDirectStream;
  /**
   * Names the transactional producer. It must stay the same across restarts of the
   * application (that is how a restarted driver fences the old one and closes its open
   * transaction) and differ between applications. Default: "sluice-<groupId>".
   */
  transactionalId?: string;
  /** How long the broker lets a transaction stay open before aborting it (default 60 s). */
  transactionTimeoutMs?: number;
}

export interface KafkaWriteOptions<T> extends KafkaConnectionOptions, MessageSerializers<T> {
  /** Acknowledgements to wait for: -1 = all in-sync replicas (default), 1 = the leader. Exactly-once always uses -1. */
  acks?: -1 | 1;
  compression?: CompressionTypes;
  /** Largest produce request (default 768 KiB, below the broker's default message.max.bytes of 1 MB). */
  maxRequestBytes?: number;
  /**
   * Writes each batch's records and its consumer offsets in one Kafka transaction, so
   * that read_committed readers see every input's output exactly once, whatever point a
   * driver is killed at. See README.md ("Exactly-once output") for the design.
   */
  exactlyOnce?: ExactlyOnceOptions;
}

export const DEFAULT_MAX_REQUEST_BYTES = 768 * 1024;

export function validateWriteOptions<T>(options: KafkaWriteOptions<T>): void {
  if (!options || typeof options !== 'object') throw new Error('writeToKafka(stream, options): options are required');
  validateConnection(options, 'writeToKafka');
  if (typeof options.topic === 'string') {
    if (!/^[a-zA-Z0-9._-]{1,249}$/.test(options.topic)) throw new Error(`writeToKafka: invalid topic name ${JSON.stringify(options.topic)}`);
  } else if (typeof options.topic !== 'function') {
    throw new Error('writeToKafka: `topic` is required (a topic name, or a function of the element)');
  }
  if (options.acks !== undefined && options.acks !== -1 && options.acks !== 1) throw new Error('writeToKafka: acks must be -1 (all) or 1 (leader)');
  const max = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  if (!Number.isInteger(max) || max < 1024) throw new Error('writeToKafka: maxRequestBytes must be an integer >= 1024');
  const eo = options.exactlyOnce;
  if (eo) {
    if (!eo.source || typeof eo.source.attachOffsetsOwner !== 'function') {
      throw new Error('writeToKafka: exactlyOnce.source must be the direct stream (from createDirectStream) the output comes from');
    }
    if (eo.transactionalId !== undefined && (typeof eo.transactionalId !== 'string' || eo.transactionalId === '')) {
      throw new Error('writeToKafka: exactlyOnce.transactionalId must be a non-empty string');
    }
  }
}
