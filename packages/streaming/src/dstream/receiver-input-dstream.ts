import { BlockRDD, type BlockDescriptor } from '../rdd/block-rdd.js';
import type { InputRDD } from '../rdd/input-rdd.js';
import type { ShippedBlock } from '../rdd/task-env.js';
import type { WalRef } from '../wal/received-block-log.js';
import type { Receiver } from '../receiver/receiver.js';
import type { CheckpointedBlock, ReceivedBlockTracker } from '../scheduler/received-block-tracker.js';
import type { LoggedBlock, ReceivedBlockLog } from '../wal/received-block-log.js';
import type { DStreamGraph } from './dstream-graph.js';
import { InputDStream } from './input-dstream.js';

/**
 * The stream of a receiver: each batch is the blocks the receiver cut since the last
 * batch, one partition per block.
 */
export class ReceiverInputDStream<T> extends InputDStream<T> {
  readonly name: string;

  constructor(
    graph: DStreamGraph,
    readonly receiver: Receiver<T>,
    private readonly tracker: ReceivedBlockTracker | null,
  ) {
    super(graph);
    receiver.streamId = this.id;
    this.name = `ReceiverInputDStream(${receiver.name})`;
  }

  override get signatureName(): string {
    return `ReceiverInputDStream(${this.receiver.constructor.name})`;
  }

  get streamId(): number {
    return this.id;
  }

  override get rateControllable(): boolean {
    return true;
  }

  /** Driver, receiverWriteAheadLog: the stream's log, and the blocks it held at start. */
  private wal: { log: ReceivedBlockLog; found: LoggedBlock[] } | null = null;

  useWriteAheadLog(log: ReceivedBlockLog, found: LoggedBlock[]): void {
    this.wal = { log, found };
  }

  get writeAheadLog(): ReceivedBlockLog | null {
    return this.wal?.log ?? null;
  }

  /** The lowest log position of this stream's blocks not yet in a batch (Infinity: none). */
  minUnallocatedSeq(): number {
    return this.tracker?.minUnallocatedSeq(this.id) ?? Number.POSITIVE_INFINITY;
  }

  override checkpointBatch(time: number): CheckpointedBlock[] | null {
    return this.tracker?.checkpointBatch(time, this.id) ?? null;
  }

  /** Blocks in the write-ahead log are read back from it after a restart. */
  override isReplayable(batchInput: unknown): boolean {
    return ((batchInput as CheckpointedBlock[] | null) ?? []).some((b) => b.wal !== null);
  }

  override checkpointState(): { maxAllocatedSeq: number } | null {
    return this.tracker ? { maxAllocatedSeq: this.tracker.maxAllocatedSeq(this.id) } : null;
  }

  /**
   * Batches of the checkpoint get their blocks back from the log; blocks logged after the
   * last allocated one (received, acknowledged, not yet in a batch) wait for the next batch.
   * Without the log, the blocks of those batches are lost, and the log line says how many.
   */
  override async recover(state: unknown, batches: Map<number, unknown>): Promise<string> {
    const tracker = this.tracker!;
    const bySeq = new Map<number, LoggedBlock>();
    for (const b of this.wal?.found ?? []) bySeq.set(b.ref.seq, b);
    let restored = 0;
    let lostBlocks = 0;
    let lostRecords = 0;
    for (const [time, value] of batches) {
      const blocks: { block: ShippedBlock; wal: WalRef | null }[] = [];
      for (const meta of (value as CheckpointedBlock[] | null) ?? []) {
        const logged = meta.wal ? bySeq.get(meta.wal.seq) : undefined;
        if (logged) {
          blocks.push({ block: logged.block, wal: logged.ref });
          restored++;
        } else {
          lostBlocks++;
          lostRecords += meta.count;
        }
      }
      tracker.restoreBatch(time, this.id, blocks);
    }
    const allocated = (state as { maxAllocatedSeq?: number } | null)?.maxAllocatedSeq ?? -1;
    tracker.restoreAllocatedSeq(this.id, allocated);
    let waiting = 0;
    for (const b of this.wal?.found ?? []) {
      if (b.ref.seq <= allocated) continue;
      tracker.addBlock(this.id, b.block, b.ref);
      waiting++;
    }
    if (this.wal) this.wal.found = [];
    const parts = [`${this.toString()}: ${restored} block(s) of ${batches.size} batch(es) read back from the write-ahead log`, `${waiting} logged block(s) not yet in a batch go to the next one`];
    if (lostBlocks > 0) {
      parts.push(
        `${lostBlocks} block(s) (${lostRecords} records) were not in a write-ahead log and are lost` +
          (this.wal ? '' : ' (set receiverWriteAheadLog: true to keep received data across a driver restart)'),
      );
    }
    return parts.join('; ');
  }

  protected computeOnDriver(time: number): InputRDD<T> {
    const blocks = this.tracker!.blocksOfBatch(time, this.id);
    const descriptors: BlockDescriptor[] = blocks.map((b) => ({ blockId: b.blockId, count: b.count, bytes: b.byteLength }));
    return new BlockRDD(descriptors, this.receiver.decodeFrame, blocks);
  }

  protected restore(_time: number, descriptor: unknown): InputRDD<T> {
    return new BlockRDD(descriptor as BlockDescriptor[], this.receiver.decodeFrame, null);
  }
}
