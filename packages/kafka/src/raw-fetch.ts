import { createRequire } from 'node:module';
import type { Broker } from 'kafkajs';
import type { AbortedTransaction } from './record-batch-decoder.js';

/** One partition of a Fetch response, with its records still encoded. */
export interface RawFetchedPartition {
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  abortedTransactions: AbortedTransaction[] | null;
  recordSet: Buffer | null;
}

export interface FetchRequest {
  topic: string;
  partition: number;
  offset: number;
  isolationLevel: number;
  maxBytes: number;
  maxWaitMs: number;
}

interface ProtocolRequest {
  request: { apiVersion: number };
  response: { decode(payload: Buffer): Promise<unknown>; parse(data: unknown): Promise<unknown> };
  requestTimeout?: number;
}

interface BrokerInternals {
  lookupRequest?: (apiKey: number, definitions: unknown) => (args: Record<string, unknown>) => ProtocolRequest;
  connectionPool?: { send(request: ProtocolRequest): Promise<unknown> };
}

const require = createRequire(import.meta.url);
const FETCH_API_KEY = 1;
const RAW_FETCH_VERSION = 11;

let fetchDefinitions: unknown = null;
let createErrorFromCode: ((code: number) => Error) | null = null;
try {
  fetchDefinitions = require('kafkajs/src/protocol/requests/fetch');
  createErrorFromCode = (require('kafkajs/src/protocol/error') as { createErrorFromCode: (code: number) => Error }).createErrorFromCode;
} catch {
  // Another kafkajs layout: rawFetch reports itself unavailable and kafkajs' fetch is used.
}

/**
 * Sends a Fetch request through kafkajs' connection to `broker` (version negotiation,
 * authentication, correlation, timeouts: all kafkajs') but keeps the record sets as
 * bytes, for decodeRecordSet. Returns null when this kafkajs or this broker cannot
 * (Fetch v11 needs Kafka 2.3 or later); the caller then uses broker.fetch.
 */
export async function rawFetch(broker: Broker, request: FetchRequest): Promise<RawFetchedPartition | null> {
  const internals = broker as unknown as BrokerInternals;
  if (!fetchDefinitions || typeof internals.lookupRequest !== 'function' || !internals.connectionPool) return null;
  const protocol = internals.lookupRequest(FETCH_API_KEY, fetchDefinitions)({
    replicaId: -1,
    isolationLevel: request.isolationLevel,
    maxWaitTime: request.maxWaitMs,
    minBytes: 1,
    maxBytes: request.maxBytes,
    topics: [{ topic: request.topic, partitions: [{ partition: request.partition, fetchOffset: String(request.offset), maxBytes: request.maxBytes }] }],
  });
  if (protocol.request.apiVersion !== RAW_FETCH_VERSION) return null;
  protocol.response = { decode: async (payload: Buffer) => decodeFetchV11(payload), parse: async (data: unknown) => data };
  let partitions: RawFetchedPartition[];
  try {
    partitions = (await internals.connectionPool.send(protocol)) as RawFetchedPartition[];
  } catch (err) {
    // What kafkajs' broker does on a closed connection, so that the next request reconnects.
    if ((err as Error).name === 'KafkaJSConnectionClosedError') await broker.disconnect().catch(() => undefined);
    throw err;
  }
  const fetched = partitions.find((p) => p.partition === request.partition);
  if (!fetched) throw Object.assign(new Error(`the fetch response has no data for ${request.topic}-${request.partition}`), { retriable: true });
  if (fetched.errorCode !== 0) throw createErrorFromCode!(fetched.errorCode);
  return fetched;
}

/**
 * Fetch Response v11: throttle_time_ms error_code session_id [topic [partition error_code
 * high_watermark last_stable_offset log_start_offset [aborted_transactions] preferred_read_replica records]]
 */
function decodeFetchV11(payload: Buffer): RawFetchedPartition[] {
  const r = new Reader(payload);
  r.int32(); // throttle time
  const errorCode = r.int16();
  if (errorCode !== 0) throw createErrorFromCode!(errorCode);
  r.int32(); // session id
  const out: RawFetchedPartition[] = [];
  for (let t = r.int32(); t > 0; t--) {
    r.string(); // topic: one per request
    for (let p = r.int32(); p > 0; p--) {
      const partition = r.int32();
      const partitionError = r.int16();
      const highWatermark = r.int64();
      const lastStableOffset = r.int64();
      r.int64(); // log start offset
      const abortedCount = r.int32();
      let abortedTransactions: AbortedTransaction[] | null = null;
      if (abortedCount >= 0) {
        abortedTransactions = [];
        for (let i = 0; i < abortedCount; i++) abortedTransactions.push({ producerId: r.int64(), firstOffset: r.int64() });
      }
      r.int32(); // preferred read replica
      const recordSet = r.bytes();
      out.push({ partition, errorCode: partitionError, highWatermark, lastStableOffset, abortedTransactions, recordSet });
    }
  }
  return out;
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  int16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  int64(): number {
    const v = this.buf.readInt32BE(this.pos) * 4294967296 + this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return v;
  }

  string(): string {
    const n = this.int16();
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  bytes(): Buffer | null {
    const n = this.int32();
    if (n < 0) return null;
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}
