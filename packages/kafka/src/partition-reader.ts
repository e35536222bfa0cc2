import type { Broker } from 'kafkajs';
import { explainKafkaError, isUnreachable } from './kafka-errors.js';
import type { KafkaRecord } from './kafka-record.js';
import { isolationLevelCode, type IsolationLevel, type KafkaCluster } from './kafkajs-cluster.js';
import { takeRecords, type FetchedPartition } from './fetched-partition.js';
import { describeRange, toOffset, type OffsetRange } from './offset-range.js';
import { rawFetch } from './raw-fetch.js';
import { LegacyMessageFormatError, recordSetEnd, RecordSetDecoder } from './record-batch-decoder.js';

export interface ReadOptions {
  isolationLevel: IsolationLevel;
  /** Largest response of one Fetch request (the broker returns at least one record batch). */
  fetchMaxBytes: number;
  /** What to name the brokers in errors. */
  brokers: string;
}

/** Leader moves and dropped connections are retried this many times before the task fails. */
const MAX_ATTEMPTS = 5;
const RETRY_BACKOFF_MS = 200;
/**
 * How long a task waits for brokers it cannot reach before it fails, retrying meanwhile
 * (Spark's KafkaRDD waits as long: spark.streaming.kafka.consumer.poll.ms defaults to the
 * network timeout, 120 s). A range only covers records that were in the log when its batch
 * was cut, so waiting out a broker restart reads them; failing instead would make the
 * batch fail, and a stream whose state already holds the batch cannot read it again
 * without counting it twice (docs/reliability.md, Kafka).
 */
export const UNREACHABLE_WAIT_MS = 120_000;
const UNREACHABLE_BACKOFF_MAX_MS = 2000;
/** A fetch below the end of the log that returns nothing, this many times in a row, is an error. */
const MAX_EMPTY_FETCHES = 3;
/**
 * How long the broker may wait for data. Ranges only cover offsets that existed when
 * the batch was cut, so data is there at once; this only matters when it is not.
 */
const MAX_WAIT_MS = 100;

/**
 * Records a task takes from a fetch at a time. Decoding a whole 8 MiB response of small
 * records at once makes some 80,000 record objects that outlive the young generation
 * while the task works through them; a few thousand at a time die young.
 */
const CHUNK_RECORDS = 4096;

/**
 * Reads exactly the records of `range` from the partition's leader (executor side), as a
 * stream of arrays of at most about CHUNK_RECORDS records. Fetches from `fromOffset`
 * until `untilOffset` is reached, or the end of what a reader of this isolation level
 * may see (the high watermark, or the last stable offset for read_committed),
 * whichever comes first.
 *
 * One fetch is read ahead: as soon as a response has arrived, the request for the next
 * offset (found from its batch headers) is sent, and the response is decoded while
 * that one travels. So a task holds at most two responses of `fetchMaxBytes` (the
 * broker exceeds it only for a single record batch larger than that), whatever the
 * size of its range.
 */
export async function* streamOffsetRange(cluster: KafkaCluster, range: OffsetRange, options: ReadOptions): AsyncGenerator<KafkaRecord[]> {
  if (range.untilOffset <= range.fromOffset) return;
  await cluster.addTargetTopic(range.topic);
  let offset = range.fromOffset;
  let failures = 0;
  let unreachableSince: number | null = null;
  let emptyFetches = 0;
  let useKafkajsDecoding = false;
  let ahead: { offset: number; step: Promise<FetchStep> } | null = null;
  const fetchAt = async (at: number): Promise<FetchStep> => {
    const broker = await leaderOf(cluster, range.topic, range.partition);
    const fast = useKafkajsDecoding ? null : await fastStep(broker, range, at, options);
    if (fast !== null) return fast;
    useKafkajsDecoding = true;
    return kafkajsStep(broker, range, at, options);
  };
  try {
    while (offset < range.untilOffset) {
      let step: FetchStep;
      try {
        const pending = ahead?.offset === offset ? ahead.step : fetchAt(offset);
        ahead = null;
        step = await pending;
        failures = 0;
        unreachableSince = null;
      } catch (err) {
        if (err instanceof LegacyMessageFormatError) {
          useKafkajsDecoding = true;
          continue;
        }
        if ((err as { type?: string }).type === 'OFFSET_OUT_OF_RANGE') {
          throw new Error(
            `reading ${describeRange(range)}: offset ${offset} is no longer in the log (deleted by retention, ` +
              'or the topic was recreated); the records of this range cannot be read',
            { cause: err },
          );
        }
        if (isUnreachable(err)) {
          unreachableSince ??= Date.now();
          if (Date.now() - unreachableSince < UNREACHABLE_WAIT_MS) {
            failures++;
            await cluster.refreshMetadata().catch(() => undefined);
            await sleep(Math.min(RETRY_BACKOFF_MS * failures, UNREACHABLE_BACKOFF_MAX_MS));
            continue;
          }
        }
        if (++failures >= MAX_ATTEMPTS || (err as { retriable?: boolean }).retriable === false) {
          throw new Error(`reading ${describeRange(range)} at offset ${offset}: ${explainKafkaError(err, options.brokers)}`, { cause: err });
        }
        await cluster.refreshMetadata().catch(() => undefined);
        await sleep(RETRY_BACKOFF_MS * failures);
        continue;
      }
      if (step.next > offset) {
        if (step.next < range.untilOffset && step.next < step.visibleEnd) {
          const next = fetchAt(step.next);
          // Awaited by the next turn of the loop; this only keeps a failure that comes first from being reported as unhandled.
          next.catch(() => undefined);
          ahead = { offset: step.next, step: next };
        }
        if (step.decoder) {
          let ended = false;
          while (!ended) {
            const out: KafkaRecord[] = [];
            try {
              ended = await step.decoder.decodeInto(out, CHUNK_RECORDS);
            } catch (err) {
              // Records before the failure may have gone to the task already: not retried.
              throw new Error(`reading ${describeRange(range)}: a record batch after offset ${offset} cannot be decoded: ${(err as Error).message}`, { cause: err });
            }
            if (out.length > 0) yield out;
          }
        } else if (step.records && step.records.length > 0) {
          yield step.records;
        }
        offset = step.next;
        emptyFetches = 0;
        continue;
      }
      if (offset >= step.visibleEnd) break;
      if (++emptyFetches >= MAX_EMPTY_FETCHES) {
        throw new Error(
          `reading ${describeRange(range)}: the broker returned no records at offset ${offset}, below the end of the ` +
            `partition (${step.visibleEnd}); a record batch there may be larger than the fetch size ` +
            `(${options.fetchMaxBytes} bytes)`,
        );
      }
    }
  } finally {
    // A request read ahead that the task no longer wants (it stopped early): let it settle unobserved.
    ahead?.step.catch(() => undefined);
  }
}

/** All the records of `range` in one array (for tests and small ranges; tasks use streamOffsetRange). */
export async function readOffsetRange(cluster: KafkaCluster, range: OffsetRange, options: ReadOptions): Promise<KafkaRecord[]> {
  const out: KafkaRecord[] = [];
  for await (const records of streamOffsetRange(cluster, range, options)) for (const r of records) out.push(r);
  return out;
}

/**
 * What one fetch achieved: where to fetch next, where the log ends for this reader, and
 * its records: still encoded (decoder, the fast path) or decoded by kafkajs (records).
 */
interface FetchStep {
  next: number;
  visibleEnd: number;
  decoder?: RecordSetDecoder;
  records?: KafkaRecord[];
}

async function leaderOf(cluster: KafkaCluster, topic: string, partition: number): Promise<Broker> {
  const leaders = cluster.findLeaderForPartitions(topic, [partition]);
  const nodeId = Object.keys(leaders)[0];
  if (nodeId === undefined) {
    throw Object.assign(new Error(`no leader known for ${topic}-${partition}`), { retriable: true });
  }
  return cluster.findBroker({ nodeId });
}

/** A fetch for RecordSetDecoder; null if this kafkajs or broker cannot do it. */
async function fastStep(broker: Broker, range: OffsetRange, offset: number, options: ReadOptions): Promise<FetchStep | null> {
  const fetched = await rawFetch(broker, {
    topic: range.topic,
    partition: range.partition,
    offset,
    isolationLevel: isolationLevelCode(options.isolationLevel),
    maxBytes: options.fetchMaxBytes,
    maxWaitMs: MAX_WAIT_MS,
  });
  if (!fetched) return null;
  const visibleEnd = options.isolationLevel === 'read_committed' && fetched.lastStableOffset >= 0 ? fetched.lastStableOffset : fetched.highWatermark;
  if (!fetched.recordSet || fetched.recordSet.length === 0) return { next: offset, visibleEnd };
  const aborted = options.isolationLevel === 'read_committed' ? fetched.abortedTransactions : null;
  // The headers alone say where the next fetch starts; a pre-0.11 message set throws here, before any record is taken.
  const next = recordSetEnd(fetched.recordSet, offset, range.untilOffset);
  return { next, visibleEnd, decoder: new RecordSetDecoder(fetched.recordSet, range.topic, range.partition, offset, range.untilOffset, aborted) };
}

/** A fetch decoded by kafkajs (brokers before Kafka 2.3, record sets in the pre-0.11 format). */
async function kafkajsStep(broker: Broker, range: OffsetRange, offset: number, options: ReadOptions): Promise<FetchStep> {
  const response = (await broker.fetch({
    replicaId: -1,
    isolationLevel: isolationLevelCode(options.isolationLevel),
    maxWaitTime: MAX_WAIT_MS,
    minBytes: 1,
    maxBytes: options.fetchMaxBytes,
    topics: [{ topic: range.topic, partitions: [{ partition: range.partition, fetchOffset: String(offset), maxBytes: options.fetchMaxBytes }] }],
  })) as { responses: { partitions: FetchedPartition[] }[] };
  const fetched = response.responses[0]?.partitions[0];
  if (!fetched) throw Object.assign(new Error(`the fetch response has no data for ${describeRange(range)}`), { retriable: true });
  const records: KafkaRecord[] = [];
  const next = takeRecords(range.topic, fetched, offset, range.untilOffset, records);
  return { next, visibleEnd: visibleEnd(fetched, options.isolationLevel), records };
}

function visibleEnd(fetched: FetchedPartition, isolation: IsolationLevel): number {
  const hw = toOffset(fetched.highWatermark, 'high watermark');
  if (isolation !== 'read_committed' || fetched.lastStableOffset === undefined) return hw;
  const lso = toOffset(fetched.lastStableOffset, 'last stable offset');
  return lso >= 0 ? lso : hw;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
