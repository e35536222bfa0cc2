import { Subject } from 'rxjs';
import type { BlockAdded, ReceiverReport, RpcConnection } from '@sluice/protocol';
import type { ReceiverHost, ReceiverHostEvent, ReceiverInfo, ReceiverToPlace, ShippedBlock } from '@sluice/streaming/internal';
import { fromBlockMessage } from './task-codec.js';

/** The executors a receiver can be placed on. */
export interface ReceiverExecutor {
  id: string;
  host: string;
  ready: boolean;
  rpc: RpcConnection;
}

/** How long stopReceivers waits for a receiver's last block before giving up on it. */
const STOP_TIMEOUT_MS = 10_000;

/**
 * Runs receivers on executors for the ExecutorPool (receiverPlacement 'executor').
 *
 * Each receiver goes to the executor its preferredLocation names (an executor id or a
 * host), else to the ready executor running the fewest receivers. When that executor is
 * lost the receiver starts again on another one at once; if none is ready, on the next
 * that becomes ready. A receiver that stopped itself (Receiver.stop) is not restarted.
 */
export class ReceiverPlacement implements ReceiverHost {
  private receivers: ReceiverToPlace[] = [];
  private replication = 1;
  /** streamId -> executor running it. */
  private readonly placed = new Map<number, string>();
  /** Receivers that stopped for good. */
  private readonly finished = new Set<number>();
  private readonly stopWaiters = new Map<number, () => void>();
  /** Backpressure: the latest rate of each stream, also sent to an executor the receiver moves to. */
  private readonly rates = new Map<number, number>();
  private stopping = false;
  /** Replica parts received ahead of their BlockAdded, by executor and block id. */
  private readonly replicaParts = new Map<string, Buffer[]>();
  private readonly events = new Subject<ReceiverHostEvent>();
  readonly receiverEvents$ = this.events.asObservable();

  constructor(
    private readonly executors: () => ReceiverExecutor[],
    private readonly log: (line: string) => void,
  ) {}

  startReceivers(receivers: ReceiverToPlace[], replication: number): void {
    this.receivers = receivers;
    this.replication = replication;
    this.place();
  }

  async stopReceivers(): Promise<void> {
    this.stopping = true;
    const waits: Promise<void>[] = [];
    for (const [streamId, executorId] of this.placed) {
      const e = this.executors().find((x) => x.id === executorId);
      if (!e) continue;
      waits.push(
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.log(`receiver of stream ${streamId} on executor ${executorId} did not report stopping within ${STOP_TIMEOUT_MS} ms`);
            this.stopWaiters.delete(streamId);
            resolve();
          }, STOP_TIMEOUT_MS);
          this.stopWaiters.set(streamId, () => {
            clearTimeout(timer);
            resolve();
          });
        }),
      );
      e.rpc.send({ stopReceiver: { streamId, reason: 'stopped by the context' } });
    }
    await Promise.all(waits);
    this.placed.clear();
  }

  updateReceiverRate(streamId: number, recordsPerSecond: number): void {
    this.rates.set(streamId, recordsPerSecond);
    const executorId = this.placed.get(streamId);
    const e = executorId === undefined ? undefined : this.executors().find((x) => x.id === executorId);
    e?.rpc.send({ updateReceiverRate: { streamId, recordsPerSecond } });
  }

  removeBlocks(blocks: ShippedBlock[]): void {
    const byExecutor = new Map<string, string[]>();
    for (const b of blocks) {
      if (b.heldBy === undefined) continue;
      let ids = byExecutor.get(b.heldBy);
      if (!ids) byExecutor.set(b.heldBy, (ids = []));
      ids.push(b.blockId);
    }
    for (const e of this.executors()) {
      const blockIds = byExecutor.get(e.id);
      if (blockIds) e.rpc.send({ removeBlocks: { blockIds } });
    }
  }

  // ---- called by the ExecutorPool ------------------------------------------------------

  executorReady(): void {
    this.place();
  }

  executorLost(executorId: string): void {
    for (const key of [...this.replicaParts.keys()]) if (key.startsWith(`${executorId}/`)) this.replicaParts.delete(key);
    for (const [streamId, id] of [...this.placed]) {
      if (id !== executorId) continue;
      this.placed.delete(streamId);
      this.stopWaiters.get(streamId)?.();
      this.stopWaiters.delete(streamId);
    }
    this.place();
  }

  replicaPart(executorId: string, blockId: string, trailer: Buffer): void {
    const key = `${executorId}/${blockId}`;
    const parts = this.replicaParts.get(key);
    if (parts) parts.push(trailer);
    else this.replicaParts.set(key, [trailer]);
  }

  blockAdded(executorId: string, msg: BlockAdded): void {
    const key = `${executorId}/${msg.block.blockId}`;
    const parts = this.replicaParts.get(key) ?? [];
    this.replicaParts.delete(key);
    const byteLength = Number(msg.block.payloadLength);
    const meta = fromBlockMessage(msg.block, Buffer.alloc(0));
    const block: ShippedBlock = msg.replicaAttached
      ? { ...meta, segments: parts, byteLength, heldBy: executorId }
      : { ...meta, segments: null, byteLength, heldBy: executorId };
    if (msg.replicaAttached && parts.reduce((n, p) => n + p.length, 0) !== byteLength) {
      this.log(`block ${msg.block.blockId} from executor ${executorId}: the replica is incomplete; keeping it only on the executor`);
      block.segments = null;
    }
    this.events.next({ type: 'block', streamId: msg.streamId, executorId, block });
  }

  receiverReport(executorId: string, msg: ReceiverReport): void {
    const event = msg.event === 'started' || msg.event === 'stopped' ? msg.event : 'error';
    if (event === 'stopped') {
      const waiter = this.stopWaiters.get(msg.streamId);
      this.stopWaiters.delete(msg.streamId);
      if (waiter) waiter();
      else if (!this.stopping && this.placed.get(msg.streamId) === executorId) {
        // The receiver stopped itself: it stays stopped, as it would in the driver.
        this.placed.delete(msg.streamId);
        this.finished.add(msg.streamId);
      }
    }
    this.events.next({
      type: 'report',
      streamId: msg.streamId,
      executorId,
      event,
      info: JSON.parse(msg.receiverInfoJson) as ReceiverInfo,
      errorCounts: JSON.parse(msg.errorCountsJson || '{}') as Record<string, number>,
    });
  }

  // ---- placement -----------------------------------------------------------------------

  private place(): void {
    if (this.stopping) return;
    for (const r of this.receivers) {
      if (this.placed.has(r.streamId) || this.finished.has(r.streamId)) continue;
      const target = this.choose(r);
      if (!target) return;
      this.placed.set(r.streamId, target.id);
      this.log(`starting receiver ${r.name} (stream ${r.streamId}) on executor ${target.id}`);
      target.rpc.send({ startReceiver: { streamId: r.streamId, replication: this.replication } });
      const rate = this.rates.get(r.streamId);
      if (rate !== undefined) target.rpc.send({ updateReceiverRate: { streamId: r.streamId, recordsPerSecond: rate } });
    }
  }

  private choose(r: ReceiverToPlace): ReceiverExecutor | null {
    const ready = this.executors().filter((e) => e.ready);
    if (ready.length === 0) return null;
    if (r.preferredLocation !== undefined) {
      const preferred = ready.find((e) => e.id === r.preferredLocation) ?? ready.find((e) => e.host === r.preferredLocation);
      if (preferred) return preferred;
    }
    const load = (e: ReceiverExecutor) => [...this.placed.values()].filter((id) => id === e.id).length;
    return ready.reduce((best, e) => (load(e) < load(best) ? e : best));
  }
}
