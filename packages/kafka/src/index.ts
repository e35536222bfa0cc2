/**
 * @sluice/kafka: Spark's Kafka 0-10 direct stream on kafkajs, and Kafka output with an
 * exactly-once mode. See README.md.
 */
export { createDirectStream, KafkaDirectStream } from './direct-stream.js';
export type { DirectStreamOptions } from './direct-stream-options.js';
export type { CommitCallback } from './offset-committer.js';
export type { KafkaConnectionOptions } from './connection.js';
export type { KafkaRecord, KafkaHeaders } from './kafka-record.js';
export type { OffsetRange, TopicPartition } from './offset-range.js';
export { rangeSize } from './offset-range.js';
export { offsetRanges } from './offset-ranges.js';
export { KafkaRDD } from './kafka-rdd.js';
export type { StartingOffsets } from './starting-offsets.js';
export type { IsolationLevel } from './kafkajs-cluster.js';
export { writeToKafka } from './write-to-kafka.js';
export type { KafkaWriteOptions, ExactlyOnceOptions } from './write-options.js';
export type { KafkaBytes, MessageSerializers, OutgoingMessage } from './outgoing-message.js';
export { decodeRecords, writeDeadLetters, deadLetterHeaders, DEAD_LETTER_HEADERS } from './dead-letters.js';
export type { DeadLetter, DecodedStreams } from './dead-letters.js';
