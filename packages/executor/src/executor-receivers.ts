import { hostname } from 'node:os';
import type { RpcConnection } from '@sluice/protocol';
import {
  ListenerBus,
  ReceiverInputDStream,
  ReceiverSupervisor,
  supervisorLimits,
  type DStreamGraph,
  type ShippedBlock,
  type StreamingConf,
  type StreamingEvent,
} from '@sluice/streaming/internal';
import type { BlockStore } from './block-store.js';
import { toBlockMessage } from './task-codec.js';

const REPORTED_EVENTS: Partial<Record<StreamingEvent['type'], 'started' | 'error' | 'stopped'>> = {
  onReceiverStarted: 'started',
  onReceiverError: 'error',
  onReceiverStopped: 'stopped',
};

/**
 * The receivers the driver placed on this executor (receiverPlacement 'executor'). Each
 * runs under a supervisor as it would in the driver; its blocks go into this executor's
 * block store and are announced to the driver (with a copy when replication is 2), and
 * its lifecycle events are reported to the driver, which tells the listeners.
 */
export class ExecutorReceivers {
  private readonly running = new Map<number, ReceiverSupervisor>();

  constructor(
    private readonly graph: DStreamGraph,
    private readonly conf: StreamingConf,
    private readonly store: BlockStore,
    private readonly rpc: RpcConnection,
    private readonly executorId: string,
    private readonly log: (line: string) => void,
  ) {}

  async start(streamId: number, replication: number): Promise<void> {
    if (this.running.has(streamId)) return;
    const stream = this.graph.inputs.find(
      (s): s is ReceiverInputDStream<unknown> => s instanceof ReceiverInputDStream && s.streamId === streamId,
    );
    if (!stream) {
      this.log(`executor ${this.executorId}: the job's graph has no receiver stream ${streamId}; the driver built a different graph`);
      return;
    }
    const bus = new ListenerBus();
    const supervisor = new ReceiverSupervisor(stream.receiver, {
      ...supervisorLimits(this.conf),
      bufferedBytes: () => this.store.heldBytes,
      bus,
      onBlock: (id, block) => this.onBlock(id, block, replication),
      log: this.log,
      executorId: this.executorId,
      host: hostname(),
    });
    bus.events$.subscribe((event) => {
      const kind = REPORTED_EVENTS[event.type];
      if (!kind || !('receiverInfo' in event.payload)) return;
      this.rpc.send({
        receiverReport: {
          streamId,
          event: kind,
          receiverInfoJson: JSON.stringify(event.payload.receiverInfo),
          errorCountsJson: JSON.stringify(Object.fromEntries(supervisor.errorCounts)),
        },
      });
    });
    this.running.set(streamId, supervisor);
    await supervisor.start();
  }

  /** Stops a receiver; its last block and then its "stopped" report reach the driver, in that order. */
  async stop(streamId: number, reason: string): Promise<void> {
    const supervisor = this.running.get(streamId);
    if (!supervisor) return;
    this.running.delete(streamId);
    await supervisor.stop(reason);
  }

  /** Backpressure's new rate for the receiver of `streamId` (see ReceiverSupervisor.updateRate). */
  updateRate(streamId: number, recordsPerSecond: number): void {
    this.running.get(streamId)?.updateRate(recordsPerSecond);
  }

  async stopAll(reason: string): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stop(id, reason)));
  }

  private onBlock(streamId: number, block: ShippedBlock, replication: number): void {
    const held: ShippedBlock = { ...block, heldBy: this.executorId };
    this.store.put(held);
    if (replication > 1) {
      for (const part of replicaParts(block.segments ?? [])) this.rpc.send({ blockReplicaPart: { blockId: block.blockId } }, part);
    }
    this.rpc.send({ blockAdded: { streamId, block: toBlockMessage(held), replicaAttached: replication > 1 } });
  }
}

/** Largest replica part: small enough to be served from the allocator's heap on the driver. */
const REPLICA_PART_BYTES = 8 * 1024 * 1024;

/** A block's segments regrouped into parts of at most REPLICA_PART_BYTES (views, no copies). */
function replicaParts(segments: Uint8Array[]): Uint8Array[][] {
  const parts: Uint8Array[][] = [];
  let part: Uint8Array[] = [];
  let size = 0;
  for (const segment of segments) {
    for (let at = 0; at < segment.byteLength; ) {
      const take = Math.min(segment.byteLength - at, REPLICA_PART_BYTES - size);
      part.push(segment.subarray(at, at + take));
      size += take;
      at += take;
      if (size === REPLICA_PART_BYTES) {
        parts.push(part);
        part = [];
        size = 0;
      }
    }
  }
  if (size > 0) parts.push(part);
  return parts;
}
