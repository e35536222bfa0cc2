import { InputRDD, type TaskEnv } from '@sluice/streaming';
import type { KafkaRecord } from './kafka-record';
import type { OffsetRange } from './offset-range';

/** What a KafkaRDD partition needs to read its range on an executor. */
export interface RangeReader {
  read(range: OffsetRange): Promise<KafkaRecord[]>;
}

/** The descriptor sent with every task: the batch's ranges, as compact tuples. */
export type KafkaRDDDescriptor = { ranges: [topic: string, partition: number, from: number, until: number][] };

/**
 * One batch of a direct stream: partition i is offset range i. Nothing is shipped with
 * the tasks but the ranges (in the descriptor); each executor reads its range straight
 * from the partition's leader.
 */
export class KafkaRDD extends InputRDD<KafkaRecord> {
  readonly name = 'KafkaRDD';

  constructor(
    readonly offsetRanges: readonly OffsetRange[],
    private readonly reader: RangeReader,
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

  async compute(partition: number, env: TaskEnv): Promise<KafkaRecord[]> {
    const range = this.offsetRanges[partition];
    if (!range) throw new Error(`KafkaRDD ${this.id} has no partition ${partition} (it has ${this.offsetRanges.length})`);
    const records = await this.reader.read(range);
    env.recordsRead += records.length;
    return records;
  }
}
