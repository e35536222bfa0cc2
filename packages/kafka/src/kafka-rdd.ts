import { gatherChunks, InputRDD, type TaskEnv } from '@sluice/streaming/internal';
import type { KafkaRecord } from './kafka-record.js';
import { rangeSize, type OffsetRange } from './offset-range.js';

/** What a KafkaRDD partition needs to read its range on an executor. */
export interface RangeReader {
  /** The records of `range`, a few thousand at a time, with one fetch read ahead (see streamOffsetRange). */
  stream(range: OffsetRange): AsyncIterable<KafkaRecord[]>;
}

/** The descriptor sent with every task: the batch's ranges, as compact tuples. */
export type KafkaRDDDescriptor = { ranges: [topic: string, partition: number, from: number, until: number][] };

/**
 * One batch of a direct stream: partition i is offset range i. Nothing is shipped with
 * the tasks but the ranges (in the descriptor); each executor reads its range straight
 * from the partition's leader.
 *
 * A task reads its range as a stream of fetches (`computeChunks`), as Spark's KafkaRDD
 * iterator does: with count, reduce, take, foreach, a shuffle (reduceByKey, ...) or a
 * chain of map/filter/flatMap before them, a task holds one fetch and the one read
 * ahead, however large the range. Functions that take the partition as an array
 * (mapPartitions, foreachPartition, collect) get it whole: see
 * @sluice/streaming's partition-chunks.ts for why.
 */
export class KafkaRDD extends InputRDD<KafkaRecord> {
  readonly name = 'KafkaRDD';

  constructor(
    readonly offsetRanges: readonly OffsetRange[],
    private readonly reader: RangeReader,
    /**
     * Whether count() and isEmpty() may answer from the offsets. Set by the stream's
     * `countFromOffsets` option, the same on the driver and on every executor, so the
     * replayed job has the same actions as the driver's.
     */
    private readonly countFromOffsets = false,
  ) {
    super();
  }

  get numPartitions(): number {
    return this.offsetRanges.length;
  }

  descriptor(): KafkaRDDDescriptor {
    return { ranges: this.offsetRanges.map((r) => [r.topic, r.partition, r.fromOffset, r.untilOffset]) };
  }

  static rangesOf(descriptor: unknown): OffsetRange[] {
    const ranges = (descriptor as Partial<KafkaRDDDescriptor> | null)?.ranges;
    if (!Array.isArray(ranges)) throw new Error('the task carries no Kafka offset ranges: driver and executor run different versions of @sluice/kafka');
    return ranges.map(([topic, partition, fromOffset, untilOffset]) => ({ topic, partition, fromOffset, untilOffset }));
  }

  compute(partition: number, env: TaskEnv): Promise<KafkaRecord[]> {
    return gatherChunks(this.computeChunks(partition, env));
  }

  override async *computeChunks(partition: number, env: TaskEnv): AsyncGenerator<KafkaRecord[]> {
    const range = this.offsetRanges[partition];
    if (!range) throw new Error(`KafkaRDD ${this.id} has no partition ${partition} (it has ${this.offsetRanges.length})`);
    for await (const records of this.reader.stream(range)) {
      env.recordsRead += records.length;
      yield records;
    }
  }

  /**
   * The number of records, as Spark's KafkaRDD.count() gives it: from the offsets when
   * the stream says each offset is a record (`countFromOffsets`), else by reading.
   *
   * Why not from the offsets always: an offset is not always a record a reader gets.
   * Transaction markers take an offset each (any transactional producer writes them,
   * Sluice's own exactly-once output among them), read_committed readers skip aborted
   * transactions, and compaction leaves gaps. None of that shows in the offsets, and
   * the reader here accepts such gaps rather than failing on them (Spark's default reader
   * fails on a gap, which is what makes its shortcut safe). Reading streams the range a
   * fetch at a time and keeps no record, so the slow path is still bounded in memory.
   */
  override count(): Promise<number> {
    if (!this.countFromOffsets) return super.count();
    return Promise.resolve(this.offsetRanges.reduce((n, r) => n + rangeSize(r), 0));
  }

  /** Empty ranges hold no record, whatever the topic: that much is always known without reading. */
  override isEmpty(): Promise<boolean> {
    if (this.offsetRanges.every((r) => rangeSize(r) === 0)) return Promise.resolve(true);
    if (this.countFromOffsets) return Promise.resolve(false);
    return super.isEmpty();
  }
}
