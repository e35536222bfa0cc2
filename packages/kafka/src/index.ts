/**
 * @sluice/kafka: Spark's Kafka 0-10 direct stream on kafkajs, and Kafka output with an
 * exactly-once mode. See README.md.
 */
export { createDirectStream, KafkaDirectStream } from './direct-stream';
export type { DirectStreamOptions } from './direct-stream-options';
export type { CommitCallback } from './offset-committer';
export type { KafkaConnectionOptions } from './connection';
export type { KafkaRecord, KafkaHeaders } from './kafka-record';
export type { OffsetRange, TopicPartition } from './offset-range';
export { rangeSize } from './offset-range';
export { offsetRanges } from './offset-ranges';
export { KafkaRDD } from './kafka-rdd';
export type { StartingOffsets } from './starting-offsets';
export type { IsolationLevel } from './kafkajs-cluster';
export { writeToKafka } from './write-to-kafka';
export type { KafkaWriteOptions, ExactlyOnceOptions } from './write-options';
export type { KafkaBytes, MessageSerializers, OutgoingMessage } from './outgoing-message';
export { decodeRecords, writeDeadLetters, deadLetterHeaders, DEAD_LETTER_HEADERS } from './dead-letters';
export type { DeadLetter, DecodedStreams } from './dead-letters';
