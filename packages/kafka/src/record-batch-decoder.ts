// kafkajs is CommonJS and Node cannot see CompressionCodecs as a named export of it.
import kafkajs from 'kafkajs';
import type { KafkaHeaders, KafkaRecord } from './kafka-record.js';

/**
 * Decodes Kafka record batches (message format v2, the only one Kafka writes since 0.11)
 * straight from the bytes of a Fetch response into KafkaRecords.
 *
 * This is the executors' hot loop, and it is why they read without kafkajs' own record
 * decoding: kafkajs builds 64-bit Long objects and strings for every offset and
 * timestamp and a decoder object per record. Here offsets are plain numbers, keys and
 * values are views of the response buffer (no copy), and whole batches are skipped
 * without being decoded when they lie outside the range, belong to an aborted
 * transaction, or are control batches.
 */

/** An aborted transaction as a read_committed Fetch response lists it. */
export interface AbortedTransaction {
  producerId: number;
  firstOffset: number;
}

/** The record set holds a pre-0.11 message set; the caller falls back to kafkajs' decoding. */
export class LegacyMessageFormatError extends Error {
  constructor(magic: number) {
    super(`record set in message format v${magic} (before Kafka 0.11)`);
    this.name = 'LegacyMessageFormatError';
  }
}

const BATCH_HEADER_BYTES = 61;
const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_LOG_APPEND = 0x08;
const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;
const EMPTY_HEADERS: Readonly<KafkaHeaders> = Object.freeze({});

/**
 * Appends the records of `recordSet` within [offset, until) to `out` and returns the
 * offset to fetch next (the end of the last batch seen, markers and compacted records
 * included), or `until` once it is reached.
 *
 * `aborted` is the response's aborted-transaction list (read_committed only, else
 * null): a transactional batch of a producer whose transaction was aborted is dropped,
 * from the transaction's first offset up to the producer's abort marker, as the Java
 * consumer does.
 */
export async function decodeRecordSet(
  recordSet: Buffer,
  topic: string,
  partition: number,
  offset: number,
  until: number,
  aborted: AbortedTransaction[] | null,
  out: KafkaRecord[],
): Promise<number> {
  const decoder = new RecordSetDecoder(recordSet, topic, partition, offset, until, aborted);
  await decoder.decodeInto(out, Infinity);
  return decoder.next;
}

/**
 * Where a fetch of `recordSet` at `offset` leaves the reader: the end of its last whole
 * batch (or `until`), read from the batch headers alone, so the next fetch can be sent
 * before this one is decoded. The same position decodeRecordSet returns.
 */
export function recordSetEnd(recordSet: Buffer, offset: number, until: number): number {
  let next = offset;
  let pos = 0;
  while (pos + 17 <= recordSet.length) {
    const batchEnd = pos + 12 + recordSet.readInt32BE(pos + 8);
    if (batchEnd > recordSet.length) break;
    const magic = recordSet.readInt8(pos + 16);
    if (magic !== 2) throw new LegacyMessageFormatError(magic);
    const lastOffset = readInt64(recordSet, pos) + recordSet.readInt32BE(pos + 23);
    if (lastOffset + 1 > next) next = lastOffset + 1;
    if (next >= until) return until;
    pos = batchEnd;
  }
  return next;
}

/**
 * decodeRecordSet a piece at a time: decodeInto(out, n) decodes whole batches until `out`
 * holds n records or more, so a task can take an 8 MiB response a few thousand records
 * at a time (record objects die young instead of piling up for the whole response).
 */
export class RecordSetDecoder {
  /** The offset to fetch next, as far as decoded (see decodeRecordSet). */
  next: number;
  private pos = 0;
  private done = false;
  private readonly pendingAborts: AbortedTransaction[] | null;
  private readonly abortedProducers = new Set<number>();

  constructor(
    private readonly recordSet: Buffer,
    private readonly topic: string,
    private readonly partition: number,
    private readonly from: number,
    private readonly until: number,
    aborted: AbortedTransaction[] | null,
  ) {
    this.next = from;
    this.pendingAborts = aborted && aborted.length > 0 ? [...aborted].sort((a, b) => a.firstOffset - b.firstOffset) : null;
  }

  /** Decodes into `out` until it holds `atLeast` records or the set ends; true once it has ended. */
  async decodeInto(out: KafkaRecord[], atLeast: number): Promise<boolean> {
    const { recordSet, pendingAborts, abortedProducers, until } = this;
    const length = recordSet.length;
    while (!this.done && out.length < atLeast) {
      const pos = this.pos;
      if (pos + 17 > length) break;
      const baseOffset = readInt64(recordSet, pos);
      const batchEnd = pos + 12 + recordSet.readInt32BE(pos + 8);
      // The last batch of a response is cut off where the size limit fell.
      if (batchEnd > length) break;
      const magic = recordSet.readInt8(pos + 16);
      if (magic !== 2) throw new LegacyMessageFormatError(magic);
      const attributes = recordSet.readInt16BE(pos + 21);
      const lastOffset = baseOffset + recordSet.readInt32BE(pos + 23);
      this.pos = batchEnd;
      // A fetch returns whole batches, so the first may begin before the offset asked for.
      if (lastOffset < this.from) continue;
      const producerId = readInt64(recordSet, pos + 43);
      if (pendingAborts && (attributes & TRANSACTIONAL) !== 0) {
        while (pendingAborts.length > 0 && pendingAborts[0]!.firstOffset <= lastOffset) abortedProducers.add(pendingAborts.shift()!.producerId);
      }
      if ((attributes & CONTROL) !== 0) {
        if (abortedProducers.has(producerId) && isAbortMarker(recordSet, pos + BATCH_HEADER_BYTES, batchEnd)) abortedProducers.delete(producerId);
      } else if (!((attributes & TRANSACTIONAL) !== 0 && abortedProducers.has(producerId))) {
        const reachedUntil = await decodeBatchRecords(recordSet, pos, batchEnd, attributes, baseOffset, this.topic, this.partition, this.from, until, out);
        if (reachedUntil) {
          this.next = until;
          this.done = true;
          break;
        }
      }
      if (lastOffset + 1 > this.next) this.next = lastOffset + 1;
      if (this.next >= until) {
        this.next = until;
        this.done = true;
      }
    }
    if (this.pos + 17 > length || this.pos + 12 + recordSet.readInt32BE(this.pos + 8) > length) this.done = true;
    return this.done;
  }
}

/** Decodes one batch's records into `out`; true once a record at or past `until` is met. */
async function decodeBatchRecords(
  buf: Buffer,
  start: number,
  end: number,
  attributes: number,
  baseOffset: number,
  topic: string,
  partition: number,
  from: number,
  until: number,
  out: KafkaRecord[],
): Promise<boolean> {
  const baseTimestamp = readInt64(buf, start + 27);
  const logAppendTime = (attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0 ? readInt64(buf, start + 35) : -1;
  const count = buf.readInt32BE(start + 57);
  let data = buf;
  const cursor = { pos: start + BATCH_HEADER_BYTES };
  const codec = attributes & COMPRESSION_MASK;
  if (codec !== 0) {
    data = await decompress(codec, buf.subarray(start + BATCH_HEADER_BYTES, end));
    cursor.pos = 0;
  }
  for (let i = 0; i < count; i++) {
    readVarInt(data, cursor); // record length
    cursor.pos++; // record attributes (unused)
    const timestampDelta = readVarLong(data, cursor);
    const offset = baseOffset + readVarInt(data, cursor);
    const key = readBytes(data, cursor);
    const value = readBytes(data, cursor);
    const headerCount = readVarInt(data, cursor);
    let headers = EMPTY_HEADERS;
    if (headerCount > 0) {
      const named: KafkaHeaders = {};
      headers = named;
      for (let h = 0; h < headerCount; h++) {
        const keyLength = readVarInt(data, cursor);
        const name = data.toString('utf8', cursor.pos, cursor.pos + keyLength);
        cursor.pos += keyLength;
        const headerValue = readBytes(data, cursor) ?? Buffer.alloc(0);
        const existing = named[name];
        named[name] = existing === undefined ? headerValue : Array.isArray(existing) ? [...existing, headerValue] : [existing, headerValue];
      }
    }
    if (offset < from) continue;
    if (offset >= until) return true;
    out.push({ topic, partition, offset, timestamp: logAppendTime >= 0 ? logAppendTime : baseTimestamp + timestampDelta, key, value, headers });
  }
  return false;
}

/** A control batch holds one record whose key is (version int16, type int16); type 0 = ABORT. */
function isAbortMarker(buf: Buffer, pos: number, end: number): boolean {
  const cursor = { pos };
  if (pos >= end) return false;
  readVarInt(buf, cursor);
  cursor.pos++;
  readVarLong(buf, cursor);
  readVarInt(buf, cursor);
  const key = readBytes(buf, cursor);
  return key !== null && key.length >= 4 && key.readInt16BE(2) === 0;
}

async function decompress(codec: number, compressed: Buffer): Promise<Buffer> {
  const factory = (kafkajs.CompressionCodecs as unknown as Record<number, (() => { decompress(b: Buffer): Promise<Buffer> }) | undefined>)[codec];
  if (!factory) throw new Error(`record batch compressed with an unknown codec (${codec})`);
  // kafkajs' codecs: gzip built in; snappy, lz4 and zstd once registered in CompressionCodecs.
  return factory().decompress(compressed);
}

/** A signed 64-bit big-endian integer as a number (exact below 2^53, which offsets and times are). */
function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * 4294967296 + buf.readUInt32BE(pos + 4);
}

/** A zigzag varint (Kafka's int32 varint). */
function readVarInt(buf: Buffer, cursor: { pos: number }): number {
  let result = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = buf[cursor.pos++]!;
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while ((byte & 0x80) !== 0 && shift < 35);
  return (result >>> 1) ^ -(result & 1);
}

/** A zigzag varlong, as a number (timestamp deltas are far below 2^53). */
function readVarLong(buf: Buffer, cursor: { pos: number }): number {
  let result = 0;
  let multiplier = 1;
  let byte: number;
  do {
    byte = buf[cursor.pos++]!;
    result += (byte & 0x7f) * multiplier;
    multiplier *= 128;
  } while ((byte & 0x80) !== 0 && multiplier <= 2 ** 63);
  return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
}

/** Varint-length-prefixed bytes (-1 = null), as a view of the buffer. */
function readBytes(buf: Buffer, cursor: { pos: number }): Buffer | null {
  const n = readVarInt(buf, cursor);
  if (n < 0) return null;
  const bytes = buf.subarray(cursor.pos, cursor.pos + n);
  cursor.pos += n;
  return bytes;
}
