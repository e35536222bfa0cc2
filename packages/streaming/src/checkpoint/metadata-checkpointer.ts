import type { StreamingConf } from '../context/conf.js';
import type { DStreamGraph } from '../dstream/dstream-graph.js';
import { ReceiverInputDStream } from '../dstream/receiver-input-dstream.js';
import type { CheckpointedBlock } from '../scheduler/received-block-tracker.js';
import { removeCheckpointedRdd } from './checkpoint-files.js';
import { describeMediaError } from './durable-file.js';
import type { ReceivedBlockLog } from '../wal/received-block-log.js';
import type { CheckpointCut } from './checkpoint-cut.js';
import { LatestStateWriter } from './latest-state-writer.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, writeMetadataCheckpointText, type MetadataCheckpoint } from './metadata-checkpoint.js';

/** What one write puts on disk, taken when the write starts. */
interface TakenCheckpoint {
  time: number;
  text: string;
  /** Data checkpoints the snapshot no longer names: deleted once it is on disk. */
  retired: CheckpointCut[];
  /** Per write-ahead log: the newest sequence number no batch the snapshot names still needs. */
  walCleanable: { log: ReceivedBlockLog; upTo: number }[];
}

/**
 * Writes the driver's metadata checkpoint, so that a restarted driver knows which batches
 * to rerun, what their inputs were, and where recursive streams start again
 * (docs/reliability.md#what-a-metadata-checkpoint-guarantees).
 *
 * - A batch's generation is written before its jobs run when its inputs can be read again
 *   (write-ahead log blocks, Kafka offsets): a restart then reruns it with exactly those
 *   inputs. A batch whose inputs cannot be read again (a receiver without the log, an
 *   empty batch) does not wait: a restart could not rerun it any better from the record.
 * - A completion is not written by itself: the next write (the next batch's generation,
 *   at most a batch later) records it; a batch duration without one writes it anyway.
 *   Until then a restart reruns that batch, as if the driver had died just before it ended.
 * - One write at a time, always of the newest state: requests made during a write share
 *   the next one (LatestStateWriter), so a slow disk never builds a queue.
 *
 * A write that fails (full disk, unwritable directory) stops the context with the reason,
 * and the previous checkpoint file stays intact (files are replaced by rename only).
 * Memory is bounded: it keeps the inputs of pending batches and of the batches since the
 * oldest data checkpoint a restart would start from (at most a checkpoint interval or a
 * window's length), nothing older.
 */
export class MetadataCheckpointer {
  private readonly pending = new Set<number>();
  private lastGenerated = -1;
  private completedUpTo = -1;
  private readonly batchInputs = new Map<number, Record<string, unknown>>();
  private readonly writer = new LatestStateWriter<TakenCheckpoint>(
    () => this.take(),
    (taken) => this.write(taken),
  );
  /** A completion waiting for the next write (see batchCompleted). */
  private completionTimer: NodeJS.Timeout | null = null;
  private failed = false;
  /** The graph is frozen once the context starts: described once. */
  private graphInfo: MetadataCheckpoint['graph'] | null = null;
  private readonly written = { writes: 0, totalMs: 0, bytes: 0 };

  constructor(
    private readonly dir: string,
    private readonly graph: DStreamGraph,
    private readonly conf: StreamingConf,
    private readonly fatal: (message: string) => void,
  ) {
    graph.retiredDataCheckpoints = [];
  }

  /** Writes (count, total time of write, fsync, rename and directory fsync, bytes) and the requests they served. */
  get stats(): { writes: number; totalMs: number; bytes: number; requests: number } {
    return { ...this.written, requests: this.writer.counts.requests };
  }

  /** A restarted driver continues the checkpoint it recovered from. */
  restore(cp: MetadataCheckpoint): void {
    for (const t of cp.pendingTimes) this.pending.add(t);
    this.lastGenerated = cp.lastGeneratedTime;
    this.completedUpTo = cp.completedUpTo;
    for (const b of cp.batches) this.batchInputs.set(b.time, b.inputs);
  }

  /**
   * Records batch `time` as generated. The promise is what its jobs wait for: the write,
   * when the batch's inputs can be read again; nothing otherwise.
   */
  batchGenerated(time: number): Promise<void> {
    this.pending.add(time);
    this.lastGenerated = Math.max(this.lastGenerated, time);
    const inputs: Record<string, unknown> = {};
    let replayable = false;
    for (const input of this.graph.inputs) {
      const v = input.checkpointBatch(time);
      if (v === null) continue;
      inputs[input.id] = v;
      if (input.isReplayable(v)) replayable = true;
    }
    this.batchInputs.set(time, inputs);
    const written = this.requestWrite();
    return replayable ? written : Promise.resolve();
  }

  batchCompleted(time: number): void {
    this.pending.delete(time);
    let oldestPending = Number.POSITIVE_INFINITY;
    for (const t of this.pending) oldestPending = Math.min(oldestPending, t);
    this.completedUpTo = Number.isFinite(oldestPending) ? oldestPending - this.conf.batchDurationMs : this.lastGenerated;
    const from = this.keepFrom();
    for (const t of this.batchInputs.keys()) if (t < from) this.batchInputs.delete(t);
    if (this.completionTimer) return;
    // The next batch's generation write records this; if none comes (the clock stopped,
    // a full job queue holds it back), this timer writes it.
    this.completionTimer = setTimeout(() => void this.requestWrite(), this.conf.batchDurationMs);
    this.completionTimer.unref();
  }

  /** Resolves when the newest state is on disk (a completion not yet written included). */
  async flush(): Promise<void> {
    if (this.completionTimer) await this.requestWrite();
    await this.writer.idle();
  }

  private requestWrite(): Promise<void> {
    if (this.completionTimer) clearTimeout(this.completionTimer);
    this.completionTimer = null;
    return this.writer.request();
  }

  /** The oldest batch whose inputs a restart may need. */
  private keepFrom(): number {
    const batch = this.conf.batchDurationMs;
    let from = this.lastGenerated + batch;
    for (const t of this.pending) from = Math.min(from, t);
    // A window over an input reads that many batches back.
    from = Math.min(from, this.completedUpTo + batch - (this.graph.maxInputRememberDurationMs() - batch));
    for (const s of this.graph.streamsToCheckpoint()) {
      if (!s.mustCheckpoint) continue;
      const cuts = this.graph.dataCheckpointsOf(s.id);
      const newest = cuts[cuts.length - 1];
      from = Math.min(from, (newest ? newest.time : this.graph.zeroTime) + s.slideDurationMs);
    }
    return from;
  }

  private snapshot(): MetadataCheckpoint {
    const inputs: Record<string, unknown> = {};
    for (const input of this.graph.inputs) {
      const v = input.checkpointState();
      if (v !== null) inputs[input.id] = v;
    }
    return {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      writtenAt: Date.now(),
      appName: this.conf.appName,
      conf: this.conf,
      graph: (this.graphInfo ??= { signature: this.graph.signature(), streams: this.graph.describeStreams(), outputs: this.graph.outputs.map((o) => o.name) }),
      zeroTime: this.graph.zeroTime,
      batchDurationMs: this.conf.batchDurationMs,
      lastGeneratedTime: this.lastGenerated,
      pendingTimes: [...this.pending].sort((a, b) => a - b),
      completedUpTo: this.completedUpTo,
      batches: [...this.batchInputs].sort((a, b) => a[0] - b[0]).map(([time, inputs]) => ({ time, inputs })),
      inputs,
      dataCheckpoints: this.graph.allDataCheckpoints(),
    };
  }

  /** The state as it is now, when a write starts (so files follow the order of the events). */
  private take(): TakenCheckpoint {
    return {
      time: this.lastGenerated,
      text: JSON.stringify(this.snapshot()),
      // Retired before this snapshot: it does not name them, so once it is on disk no
      // restart needs their files.
      retired: this.graph.retiredDataCheckpoints?.splice(0) ?? [],
      walCleanable: this.walCleanable(),
    };
  }

  private async write(taken: TakenCheckpoint): Promise<void> {
    if (this.failed) return;
    const started = performance.now();
    try {
      await writeMetadataCheckpointText(this.dir, taken.time, taken.text);
      for (const cut of taken.retired) await removeCheckpointedRdd(cut.dir, cut.rddId);
      this.written.writes++;
      this.written.bytes += taken.text.length;
      this.written.totalMs += performance.now() - started;
    } catch (err) {
      this.failed = true;
      this.fatal(describeMediaError(err, `the metadata checkpoint in ${this.dir} could not be written`));
      return;
    }
    for (const { log, upTo } of taken.walCleanable) {
      try {
        await log.cleanUpTo(upTo);
      } catch (err) {
        this.fatal(describeMediaError(err, `old write-ahead log files in ${log.dir} could not be deleted`));
      }
    }
  }

  /**
   * Per write-ahead log, the newest sequence number that no batch of the snapshot being
   * taken needs and that no block waiting for a batch has: once that snapshot is on disk,
   * log files up to it can go.
   */
  private walCleanable(): { log: ReceivedBlockLog; upTo: number }[] {
    const cleanable: { log: ReceivedBlockLog; upTo: number }[] = [];
    for (const input of this.graph.inputs) {
      if (!(input instanceof ReceiverInputDStream)) continue;
      const log = input.writeAheadLog;
      if (!log) continue;
      let min = input.minUnallocatedSeq();
      for (const inputs of this.batchInputs.values()) {
        for (const b of (inputs[input.id] as CheckpointedBlock[] | undefined) ?? []) if (b.wal && b.wal.seq < min) min = b.wal.seq;
      }
      if (!Number.isFinite(min)) min = log.nextSeq;
      cleanable.push({ log, upTo: min - 1 });
    }
    return cleanable;
  }
}
