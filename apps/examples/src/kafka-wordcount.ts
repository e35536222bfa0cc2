/**
 * Kafka word count, as Spark's DirectKafkaWordCount: counts the words of the messages of
 * a Kafka topic, per batch, with the direct stream (no receiver: each executor reads its
 * partitions' offset ranges straight from Kafka).
 *
 *   npx sluice-kafka start --port 9092                       # a local broker, if you have none
 *   npx sluice submit apps/examples/src/kafka-wordcount.ts 127.0.0.1:9092 lines
 *   npx sluice-sender kafka --brokers 127.0.0.1:9092 --topic lines --text --rate 50 --count 1000
 *
 * Usage: kafka-wordcount.ts <brokers> <topics> [groupId]
 *   <brokers>  bootstrap brokers, host:port[,host:port...]
 *   <topics>   topics to read, comma-separated
 *   [groupId]  consumer group storing the offsets (default sluice-kafka-wordcount)
 *
 * Offsets are committed after each batch's output, so a restart goes on where the last
 * run stopped; the first run starts at the end of the topics, as Kafka's consumers do.
 */
import { createDirectStream, offsetRanges } from '@sluice/kafka';
import type { StreamingContext } from '@sluice/streaming';

export default function kafkaWordCount(ssc: StreamingContext, args: string[]): void {
  const [brokers, topics, groupId = 'sluice-kafka-wordcount'] = args;
  if (!brokers || !topics) throw new Error('usage: kafka-wordcount.ts <brokers> <topics> [groupId]');
  const messages = createDirectStream(ssc, {
    brokers,
    subscribe: topics.split(',').map((t) => t.trim()).filter((t) => t.length > 0),
    groupId,
  });
  const lines = messages.map((record) => record.value?.toString('utf8') ?? '');
  const words = lines.flatMap((line) => line.split(/\s+/)).filter((w) => w.length > 0);
  const wordCounts = words.map((word) => [word, 1] as [string, number]).reduceByKey((a, b) => a + b);
  wordCounts.print();
  // An output that only commits: the driver stores the offsets once the whole batch (the
  // print above included) has succeeded, so what was printed is not read again after a restart.
  messages.foreachRDD((rdd) => messages.commitAsync(offsetRanges(rdd)));
}
