import type { StreamingConf } from '../context/conf.js';
import type { DStreamGraph } from '../dstream/dstream-graph.js';
import { ReceiverInputDStream } from '../dstream/receiver-input-dstream.js';
import type { CheckpointedBlock } from '../scheduler/received-block-tracker.js';
import { removeCheckpointedRdd } from './checkpoint-files.js';
import { describeMediaError } from './durable-file.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, writeMetadataCheckpoint, type MetadataCheckpoint } from './metadata-checkpoint.js';

/**
 * Writes a metadata checkpoint when a batch is generated (before its jobs run) and when it
 * completes, as Spark does, so that a restarted driver knows which batches to rerun, what
 * their inputs were, and where recursive streams start again. Writes are queued in order;
 * a write that fails (full disk, unwritable directory) stops the context with the reason,
 * and the previous checkpoint file stays intact (files are replaced by rename only).
 *
 * Memory is bounded: it keeps the inputs of pending batches and of the batches since the
 * oldest data checkpoint a restart would start from (at most a checkpoint interval or a
 * window's length), nothing older.
 */
export class MetadataCheckpointer {
  private readonly pending = new Set<number>();
  private lastGenerated = -1;
  private completedUpTo = -1;
  private readonly batchInputs = new Map<number, Record<string, unknown>>();
  private queue: Promise<void> = Promise.resolve();
  private failed = false;
  /** Count and total time of the writes, for the benchmark and the log. */
  readonly stats = { writes: 0, totalMs: 0, bytes: 0 };

  constructor(
    private readonly dir: string,
    private readonly graph: DStreamGraph,
    private readonly conf: StreamingConf,
    private readonly fatal: (message: string) => void,
  ) {
    graph.retiredDataCheckpoints = [];
  }

  /** A restarted driver continues the checkpoint it recovered from. */
  restore(cp: MetadataCheckpoint): void {
    for (const t of cp.pendingTimes) this.pending.add(t);
    this.lastGenerated = cp.lastGeneratedTime;
    this.completedUpTo = cp.completedUpTo;
    for (const b of cp.batches) this.batchInputs.set(b.time, b.inputs);
  }

  batchGenerated(time: number): Promise<void> {
    this.pending.add(time);
    this.lastGenerated = Math.max(this.lastGenerated, time);
    const inputs: Record<string, unknown> = {};
    for (const input of this.graph.inputs) {
      const v = input.checkpointBatch(time);
      if (v !== null) inputs[input.id] = v;
    }
    this.batchInputs.set(time, inputs);
    return this.write();
  }

  batchCompleted(time: number): Promise<void> {
    this.pending.delete(time);
    let oldestPending = Number.POSITIVE_INFINITY;
    for (const t of this.pending) oldestPending = Math.min(oldestPending, t);
    this.completedUpTo = Number.isFinite(oldestPending) ? oldestPending - this.conf.batchDurationMs : this.lastGenerated;
    const from = this.keepFrom();
    for (const t of this.batchInputs.keys()) if (t < from) this.batchInputs.delete(t);
    const written = this.write();
    return written.then(() => this.cleanWriteAheadLogs());
  }

  /** Resolves when every queued write is done. */
  flush(): Promise<void> {
    return this.queue;
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
      graph: { signature: this.graph.signature(), streams: this.graph.describeStreams(), outputs: this.graph.outputs.map((o) => o.name) },
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

  private write(): Promise<void> {
    if (this.failed) return this.queue;
    // The snapshot is taken now, so files follow the order of the events.
    const text = JSON.stringify(this.snapshot());
    // Data checkpoints retired before this snapshot: it does not name them, so once it is
    // on disk no restart needs their files.
    const retired = this.graph.retiredDataCheckpoints?.splice(0) ?? [];
    this.queue = this.queue.then(async () => {
      if (this.failed) return;
      const started = performance.now();
      try {
        await writeMetadataCheckpoint(this.dir, JSON.parse(text) as MetadataCheckpoint);
        for (const cut of retired) await removeCheckpointedRdd(cut.dir, cut.rddId);
        this.stats.writes++;
        this.stats.bytes += text.length;
        this.stats.totalMs += performance.now() - started;
      } catch (err) {
        this.failed = true;
        this.fatal(describeMediaError(err, `the metadata checkpoint in ${this.dir} could not be written`));
      }
    });
    return this.queue;
  }

  /** Deletes write-ahead log files whose blocks no batch a restart may need any more. */
  private async cleanWriteAheadLogs(): Promise<void> {
    for (const input of this.graph.inputs) {
      if (!(input instanceof ReceiverInputDStream)) continue;
      const log = input.writeAheadLog;
      if (!log) continue;
      let min = input.minUnallocatedSeq();
      for (const inputs of this.batchInputs.values()) {
        for (const b of (inputs[input.id] as CheckpointedBlock[] | undefined) ?? []) if (b.wal && b.wal.seq < min) min = b.wal.seq;
      }
      if (!Number.isFinite(min)) min = log.nextSeq;
      try {
        await log.cleanUpTo(min - 1);
      } catch (err) {
        this.fatal(describeMediaError(err, `old write-ahead log files in ${log.dir} could not be deleted`));
      }
    }
  }
}
