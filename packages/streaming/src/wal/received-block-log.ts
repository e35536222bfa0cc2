import { mkdir, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { crc32 } from '@sluice/protocol';
import { syncDirectory } from '../checkpoint/durable-file.js';
import type { ShippedBlock } from '../rdd/task-env.js';

/** Where a block sits in the write-ahead log. */
export interface WalRef {
  /** File name inside the stream's log directory. */
  file: string;
  offset: number;
  length: number;
  /** Position of the block in the stream's log: increases by one per block, across files and restarts. */
  seq: number;
}

export interface LoggedBlock {
  ref: WalRef;
  block: ShippedBlock;
}

const MAGIC = 0x53574c31; // "SWL1"
const HEADER_BYTES = 12;

/**
 * A receiver stream's write-ahead log (receiverWriteAheadLog: true), in
 * `<checkpoint dir>/receivedData/<stream id>/log-<first seq>`. Each block is one record:
 * a 12-byte header (magic, payload length, CRC-32 of the payload) and the block, v8
 * serialized. Fsync policy: every block is written and fdatasync'ed before it counts as
 * received (before the block tracker sees it and before storeReliably resolves), so a
 * receiver's source is acknowledged only for records on disk; that is one fsync per
 * block interval per receiver, not one per record. A crash in the middle of a write
 * leaves a torn last record, which the reader recognises by its length or CRC and skips
 * (it was never acknowledged). A new file is started every rolling interval; files
 * whose blocks are all behind the oldest batch a restart may need are deleted.
 */
export class ReceivedBlockLog {
  private current: { name: string; fh: FileHandle; size: number; openedAt: number } | null = null;
  /** Closed files and the highest seq in each, oldest first. */
  private readonly closed: { name: string; maxSeq: number }[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private currentMaxSeq = -1;

  private constructor(
    readonly dir: string,
    private nextSeqValue: number,
    private readonly rollingIntervalMs: number,
    existing: { name: string; maxSeq: number }[],
  ) {
    this.closed.push(...existing);
  }

  /** Opens (and scans) the log of stream `streamId`; appends continue after what it holds. */
  static async open(checkpointDir: string, streamId: number, rollingIntervalMs: number): Promise<{ log: ReceivedBlockLog; blocks: LoggedBlock[]; problems: string[] }> {
    const dir = logDir(checkpointDir, streamId);
    await mkdir(dir, { recursive: true });
    const names = (await readdir(dir)).filter((f) => /^log-\d+$/.test(f)).sort();
    const blocks: LoggedBlock[] = [];
    const problems: string[] = [];
    const files: { name: string; maxSeq: number }[] = [];
    for (const name of names) {
      const { records, problem } = await readLogFile(dir, name);
      if (problem) problems.push(problem);
      blocks.push(...records);
      files.push({ name, maxSeq: records.length > 0 ? records[records.length - 1]!.ref.seq : -1 });
    }
    const nextSeq = blocks.length > 0 ? blocks[blocks.length - 1]!.ref.seq + 1 : 0;
    return { log: new ReceivedBlockLog(dir, nextSeq, rollingIntervalMs, files), blocks, problems };
  }

  get nextSeq(): number {
    return this.nextSeqValue;
  }

  /** Appends a block and fsyncs it; resolves with where it is once it is on disk. Appends are written in call order. */
  append(block: ShippedBlock): Promise<WalRef> {
    const seq = this.nextSeqValue++;
    const run = this.chain.then(() => this.write(seq, block));
    this.chain = run.catch(() => {});
    return run;
  }

  /** Reads a logged block back (a restarted driver re-ships it to the tasks that read it). */
  async read(ref: WalRef): Promise<ShippedBlock> {
    const fh = await open(join(this.dir, ref.file), 'r');
    try {
      const buf = Buffer.alloc(ref.length);
      await fh.read(buf, 0, ref.length, ref.offset);
      return decodeRecord(buf, 0, ref)!.block;
    } finally {
      await fh.close();
    }
  }

  /** Deletes the files holding only blocks up to `seq` (never the file being written). */
  async cleanUpTo(seq: number): Promise<number> {
    let removed = 0;
    while (this.closed.length > 0 && this.closed[0]!.maxSeq <= seq) {
      const { name } = this.closed.shift()!;
      await rm(join(this.dir, name), { force: true });
      removed++;
    }
    return removed;
  }

  async close(): Promise<void> {
    await this.chain;
    await this.current?.fh.close();
    this.current = null;
  }

  private async write(seq: number, block: ShippedBlock): Promise<WalRef> {
    const file = await this.fileFor(seq);
    const data = block.segments ? Buffer.concat(block.segments) : Buffer.alloc(0);
    const payload = serialize({ seq, blockId: block.blockId, encoding: block.encoding, count: block.count, offsets: block.offsets, data });
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32BE(MAGIC, 0);
    header.writeUInt32BE(payload.length, 4);
    header.writeUInt32BE(crc32(payload), 8);
    const offset = file.size;
    await file.fh.writev([header, payload], offset);
    await file.fh.datasync();
    file.size += HEADER_BYTES + payload.length;
    this.currentMaxSeq = seq;
    return { file: file.name, offset, length: HEADER_BYTES + payload.length, seq };
  }

  private async fileFor(seq: number): Promise<NonNullable<ReceivedBlockLog['current']>> {
    const now = Date.now();
    if (this.current && now - this.current.openedAt < this.rollingIntervalMs) return this.current;
    if (this.current) {
      await this.current.fh.close();
      this.closed.push({ name: this.current.name, maxSeq: this.currentMaxSeq });
    }
    const name = `log-${String(seq).padStart(12, '0')}`;
    const fh = await open(join(this.dir, name), 'w');
    await syncDirectory(this.dir);
    this.current = { name, fh, size: 0, openedAt: now };
    return this.current;
  }
}

export function logDir(checkpointDir: string, streamId: number): string {
  return join(checkpointDir, 'receivedData', String(streamId));
}

async function readLogFile(dir: string, name: string): Promise<{ records: LoggedBlock[]; problem: string | null }> {
  const buf = await readFile(join(dir, name));
  const records: LoggedBlock[] = [];
  let at = 0;
  while (at < buf.length) {
    const rec = at + HEADER_BYTES <= buf.length ? decodeRecord(buf, at, null, name) : null;
    if (!rec) {
      return { records, problem: `${join(dir, name)}: ${buf.length - at} bytes at offset ${at} are a torn or corrupt record (a write cut short by a crash; never acknowledged), skipped` };
    }
    records.push(rec);
    at += rec.ref.length;
  }
  return { records, problem: null };
}

function decodeRecord(buf: Buffer, at: number, ref: WalRef | null, file = ref?.file ?? ''): LoggedBlock | null {
  if (buf.readUInt32BE(at) !== MAGIC) return null;
  const length = buf.readUInt32BE(at + 4);
  const end = at + HEADER_BYTES + length;
  if (end > buf.length) return null;
  const payload = buf.subarray(at + HEADER_BYTES, end);
  if (crc32(payload) !== buf.readUInt32BE(at + 8)) return null;
  const rec = deserialize(payload) as { seq: number; blockId: string; encoding: 'frames' | 'v8'; count: number; offsets: Uint32Array | null; data: Uint8Array };
  const data = Buffer.from(rec.data.buffer, rec.data.byteOffset, rec.data.byteLength);
  return {
    ref: ref ?? { file, offset: at, length: HEADER_BYTES + length, seq: rec.seq },
    block: { blockId: rec.blockId, encoding: rec.encoding, count: rec.count, segments: [data], byteLength: data.length, offsets: rec.offsets },
  };
}
