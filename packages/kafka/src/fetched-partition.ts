import { recordFromFetched, type FetchedMessage, type KafkaRecord } from './kafka-record.js';

/** One partition of a kafkajs Fetch response (Fetch v4 and later). */
export interface FetchedPartition {
  partition: number;
  highWatermark: string;
  lastStableOffset?: string;
  abortedTransactions?: { producerId: string; firstOffset: string }[];
  messages: FetchedMessage[];
}

/**
 * Appends the records of a fetch response decoded by kafkajs that fall in [offset, until)
 * to `out`, and returns the offset to fetch next. This is the reader's fallback, for
 * brokers and message formats record-batch-decoder.ts does not handle.
 *
 * Offsets are not consecutive in general: transaction markers take an offset each,
 * compaction removes records, and aborted transactions' records are dropped for
 * read_committed readers. So the next offset comes from the last offset seen (markers
 * included) and from the end of the last record batch, never from a record count.
 */
export function takeRecords(
  topic: string,
  fetched: FetchedPartition,
  offset: number,
  until: number,
  out: KafkaRecord[],
): number {
  const messages = fetched.messages;
  const aborted = fetched.abortedTransactions && fetched.abortedTransactions.length > 0
    ? new AbortedTransactions(fetched.abortedTransactions)
    : null;
  let next = offset;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const o = Number(m.offset);
    // A compressed batch starts where it starts, possibly before the offset asked for.
    if (o < offset) continue;
    if (o >= until) return until;
    next = o + 1;
    if (aborted && aborted.skips(m, o)) continue;
    if (m.isControlRecord) continue;
    out.push(recordFromFetched(topic, fetched.partition, o, m));
  }
  const last = messages[messages.length - 1];
  if (last?.batchContext) {
    // Records compacted away at the end of a batch still advance the position.
    const batchEnd = Number(last.batchContext.firstOffset) + last.batchContext.lastOffsetDelta + 1;
    if (batchEnd > next) next = Math.min(batchEnd, until);
  }
  return next;
}

const ABORT_MARKER_KEY = Buffer.from([0, 0, 0, 0]);

/**
 * read_committed filtering, as the Java consumer does it: from the first offset of an
 * aborted transaction on, that producer's transactional records are skipped until its
 * abort marker.
 */
class AbortedTransactions {
  private readonly pending: { producerId: string; firstOffset: number }[];
  private readonly abortedProducers = new Set<string>();

  constructor(list: { producerId: string; firstOffset: string }[]) {
    this.pending = list
      .map((t) => ({ producerId: t.producerId, firstOffset: Number(t.firstOffset) }))
      .sort((a, b) => a.firstOffset - b.firstOffset);
  }

  skips(m: FetchedMessage, offset: number): boolean {
    while (this.pending.length > 0 && offset >= this.pending[0]!.firstOffset) {
      this.abortedProducers.add(this.pending.shift()!.producerId);
    }
    const batch = m.batchContext;
    if (!batch) return false;
    if (m.isControlRecord) {
      if (m.key && ABORT_MARKER_KEY.equals(m.key)) this.abortedProducers.delete(batch.producerId);
      return true;
    }
    return batch.inTransaction && this.abortedProducers.has(batch.producerId);
  }
}
