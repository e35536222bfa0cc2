import { explainKafkaError } from './kafka-errors';
import type { KafkaRecord } from './kafka-record';
import { isolationLevelCode, type IsolationLevel, type KafkaCluster } from './kafkajs-cluster';
import { takeRecords, type FetchedPartition } from './fetched-partition';
import { describeRange, toOffset, type OffsetRange } from './offset-range';

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
/** A fetch below the end of the log that returns nothing, this many times in a row, is an error. */
const MAX_EMPTY_FETCHES = 3;

/**
 * Reads exactly the records of `range` from the partition's leader (executor side).
 * Fetches from `fromOffset` until `untilOffset` is reached, or the end of what a reader
 * of this isolation level may see (the high watermark, or the last stable offset for
 * read_committed), whichever comes first.
 */
export async function readOffsetRange(cluster: KafkaCluster, range: OffsetRange, options: ReadOptions): Promise<KafkaRecord[]> {
  const out: KafkaRecord[] = [];
  if (range.untilOffset <= range.fromOffset) return out;
  await cluster.addTargetTopic(range.topic);
  let offset = range.fromOffset;
  let failures = 0;
  let emptyFetches = 0;
  while (offset < range.untilOffset) {
    let fetched: FetchedPartition;
    try {
      fetched = await fetchAt(cluster, range.topic, range.partition, offset, options);
      failures = 0;
    } catch (err) {
      if ((err as { type?: string }).type === 'OFFSET_OUT_OF_RANGE') {
        throw new Error(
          `reading ${describeRange(range)}: offset ${offset} is no longer in the log (deleted by retention, ` +
            'or the topic was recreated); the records of this range cannot be read',
          { cause: err },
        );
      }
      if (++failures >= MAX_ATTEMPTS || (err as { retriable?: boolean }).retriable === false) {
        throw new Error(`reading ${describeRange(range)} at offset ${offset}: ${explainKafkaError(err, options.brokers)}`, { cause: err });
      }
      await cluster.refreshMetadata().catch(() => undefined);
      await sleep(RETRY_BACKOFF_MS * failures);
      continue;
    }
    const next = takeRecords(range.topic, fetched, offset, range.untilOffset, out);
    if (next > offset) {
      offset = next;
      emptyFetches = 0;
      continue;
    }
    if (offset >= visibleEnd(fetched, options.isolationLevel)) break;
    if (++emptyFetches >= MAX_EMPTY_FETCHES) {
      throw new Error(
        `reading ${describeRange(range)}: the broker returned no records at offset ${offset}, below the end of the ` +
          `partition (${fetched.highWatermark}); a record batch there may be larger than the fetch size ` +
          `(${options.fetchMaxBytes} bytes)`,
      );
    }
  }
  return out;
}

async function fetchAt(cluster: KafkaCluster, topic: string, partition: number, offset: number, options: ReadOptions): Promise<FetchedPartition> {
  const leaders = cluster.findLeaderForPartitions(topic, [partition]);
  const nodeId = Object.keys(leaders)[0];
  if (nodeId === undefined) {
    throw Object.assign(new Error(`no leader known for ${topic}-${partition}`), { retriable: true });
  }
  const broker = await cluster.findBroker({ nodeId });
  const response = (await broker.fetch({
    replicaId: -1,
    isolationLevel: isolationLevelCode(options.isolationLevel),
    // The range only covers offsets that existed when the batch was cut, so the broker
    // has data at once; the wait only matters if it does not.
    maxWaitTime: 100,
    minBytes: 1,
    maxBytes: options.fetchMaxBytes,
    topics: [{ topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes: options.fetchMaxBytes }] }],
  })) as { responses: { partitions: FetchedPartition[] }[] };
  const fetched = response.responses[0]?.partitions[0];
  if (!fetched) throw Object.assign(new Error(`the fetch response has no data for ${topic}-${partition}`), { retriable: true });
  return fetched;
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
