import { lineage, type RDD } from '@sluice/streaming/internal';
import { KafkaRDD } from './kafka-rdd.js';
import type { OffsetRange } from './offset-range.js';

/**
 * The offset ranges of a batch of a direct stream: Spark's HasOffsetRanges. Works on the
 * stream's own RDD and, unlike Spark, on RDDs derived from it (map, filter, reduceByKey...):
 * they still cover exactly the records of those ranges. Use it inside foreachRDD or
 * transform; partition i of the stream's own RDD is range i.
 */
export function offsetRanges(rdd: RDD<unknown>): OffsetRange[] {
  if (rdd instanceof KafkaRDD) return [...rdd.offsetRanges];
  const sources = lineage(rdd).filter((r): r is KafkaRDD => r instanceof KafkaRDD);
  if (sources.length === 1) return [...sources[0]!.offsetRanges];
  if (sources.length === 0) {
    throw new Error(`offsetRanges: ${rdd.name} [${rdd.id}] does not come from a Kafka direct stream`);
  }
  throw new Error(
    `offsetRanges: ${rdd.name} [${rdd.id}] combines ${sources.length} Kafka batches (a union or join); ` +
      "take each stream's ranges from its own RDD",
  );
}
