import { isUnreachable } from './kafka-errors.js';
import type { OutgoingMessage } from './outgoing-message.js';
import { OutageLog } from './outage-log.js';
import type { TransactionalWriter } from './transactional-writer.js';

/** What the retry needs from the stream's driver side (DirectStreamDriver). */
export interface CommitChecker {
  /** True once the consumer group's committed offsets reach every offset of `offsets` (by tpKey). */
  groupHasCommitted(offsets: ReadonlyMap<string, number>): Promise<boolean>;
  /** The stream stopped (and closed its connections): stop retrying. */
  readonly stopped: boolean;
}

const BACKOFF_MS = 500;
const BACKOFF_MAX_MS = 3000;

/**
 * Writes one batch's transaction, and while Kafka cannot be reached (or answers with a
 * retriable error) tries again, with the same records and offsets, until it commits or
 * the stream stops.
 *
 * Retrying the same batch in place, rather than failing it and reading its records
 * again later, is what keeps a stateful job exact across broker outages: the state
 * already holds the batch (state of batch t is built from batch t-1's), so reading its
 * records again would count them twice. Before each retry the producer is fenced (which
 * ends the failed transaction) and the group's offsets are asked: a commit whose answer
 * was lost has already written the batch, and writing it again would duplicate it.
 */
export async function writeBatchRetrying(
  writer: TransactionalWriter,
  checker: CommitChecker,
  time: number,
  messages: readonly OutgoingMessage[],
  offsets: ReadonlyMap<string, number>,
  outage: OutageLog,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      if (attempt > 0) {
        await writer.fence();
        if (offsets.size > 0 && (await checker.groupHasCommitted(offsets))) {
          outage.recovered(`batch ${time}'s transaction had committed before its answer was lost; not written again`);
          return;
        }
      }
      await writer.writeBatch(time, messages, offsets);
      outage.recovered(`batch ${time} written (${messages.length} records) after ${attempt} retr${attempt === 1 ? 'y' : 'ies'}`);
      return;
    } catch (err) {
      if (checker.stopped || !isTransient(err)) throw err;
      outage.failed(err);
      await new Promise((resolve) => setTimeout(resolve, Math.min(BACKOFF_MS * (attempt + 1), BACKOFF_MAX_MS)));
    }
  }
}

/** Errors of a broker restarting or a coordinator moving, that kafkajs does not all mark retriable. */
const TRANSIENT_NAMES = /KafkaJS(NumberOfRetriesExceeded|GroupCoordinatorNotFound|ConnectionClosedError|RequestTimeoutError|BrokerNotFound|MetadataNotLoaded|LockTimeout|NoBrokerAvailable)/;
const TRANSIENT_TYPES = new Set([
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'CONCURRENT_TRANSACTIONS',
  'NOT_LEADER_FOR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'REQUEST_TIMED_OUT',
]);

/**
 * Unreachable brokers, an error kafkajs marks retriable, or one of a broker restarting
 * (its group coordinator not found yet, a coordinator loading). Fencing by another
 * producer, authorization and oversized records are not: they fail the batch.
 */
function isTransient(err: unknown): boolean {
  if (isUnreachable(err)) return true;
  let current: unknown = err;
  for (let depth = 0; current && depth < 6; depth++) {
    const e = current as { retriable?: boolean; name?: string; type?: string; originalError?: unknown; cause?: unknown };
    if (e.retriable === true || TRANSIENT_NAMES.test(e.name ?? '') || TRANSIENT_TYPES.has(e.type ?? '')) return true;
    current = e.originalError ?? e.cause;
  }
  return false;
}
