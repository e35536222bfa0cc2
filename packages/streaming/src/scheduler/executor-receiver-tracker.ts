import type { Observable, Subscription } from 'rxjs';
import type { StreamingConf } from '../context/conf.js';
import type { ReceiverInputDStream } from '../dstream/receiver-input-dstream.js';
import type { ReceiverInfo } from '../listener/batch-info.js';
import type { ListenerBus } from '../listener/listener-bus.js';
import type { ReceiverStatus } from '../receiver/receiver-status.js';
import type { ReceivedBlockTracker } from './received-block-tracker.js';
import type { ReceiverHost, ReceiverHostEvent } from './receiver-host.js';
import type { ReceiverTracking } from './receiver-tracking.js';
import type { ExecutorEvent } from './task-backend.js';

/** The driver's view of a receiver running on an executor, kept from its reports. */
class RemoteReceiverStatus implements ReceiverStatus {
  recordsStored = 0;
  private latest: ReceiverInfo;
  /** Fault counts reported by each executor the receiver has run on. */
  private readonly countsByExecutor = new Map<string, Record<string, number>>();

  constructor(
    readonly streamId: number,
    readonly name: string,
  ) {
    this.latest = {
      streamId,
      name,
      active: false,
      location: '',
      executorId: '',
      lastErrorMessage: '',
      lastError: '',
      lastErrorTime: -1,
    };
  }

  get errorCounts(): ReadonlyMap<string, number> {
    const total = new Map<string, number>();
    for (const counts of this.countsByExecutor.values()) {
      for (const [kind, n] of Object.entries(counts)) total.set(kind, (total.get(kind) ?? 0) + n);
    }
    return total;
  }

  info(): ReceiverInfo {
    return { ...this.latest };
  }

  update(executorId: string, info: ReceiverInfo, errorCounts: Record<string, number>): void {
    this.latest = info;
    this.countsByExecutor.set(executorId, errorCounts);
  }

  markLost(executorId: string, reason: string): void {
    this.latest = {
      ...this.latest,
      active: false,
      lastErrorMessage: `lost with executor ${executorId} (${reason}); starting it on another executor`,
      lastError: '',
      lastErrorTime: Date.now(),
    };
  }
}

/**
 * Runs the receivers on executors (receiverPlacement 'executor', Spark's way). The
 * backend places each receiver and relaunches it elsewhere when its executor is lost;
 * this side turns the executors' reports into blocks for the block tracker and events
 * for the listeners. Records stored are counted here from the blocks reported, so the
 * count carries on across a receiver's moves.
 */
export class ExecutorReceiverTracker implements ReceiverTracking {
  private readonly byStream = new Map<number, RemoteReceiverStatus>();
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly streams: ReceiverInputDStream<unknown>[],
    private readonly blocks: ReceivedBlockTracker,
    private readonly host: ReceiverHost,
    private readonly executorEvents$: Observable<ExecutorEvent>,
    private readonly conf: StreamingConf,
    private readonly bus: ListenerBus,
    private readonly log: (line: string) => void,
  ) {
    for (const s of streams) this.byStream.set(s.streamId, new RemoteReceiverStatus(s.streamId, s.receiver.name));
  }

  get streamIds(): number[] {
    return this.streams.map((s) => s.streamId);
  }

  get statuses(): ReceiverStatus[] {
    return [...this.byStream.values()];
  }

  start(): Promise<void> {
    this.subscriptions.push(
      this.host.receiverEvents$.subscribe((event) => this.onEvent(event)),
      this.executorEvents$.subscribe((event) => {
        if (event.type === 'removed') this.onExecutorLost(event.executorId, event.reason);
      }),
    );
    this.host.startReceivers(
      this.streams.map((s) => ({ streamId: s.streamId, name: s.receiver.name, preferredLocation: s.receiver.preferredLocation })),
      this.conf.blockReplication,
    );
    return Promise.resolve();
  }

  setRate(streamId: number, recordsPerSecond: number): void {
    this.host.updateReceiverRate(streamId, recordsPerSecond);
  }

  async stop(): Promise<void> {
    await this.host.stopReceivers();
    for (const s of this.subscriptions) s.unsubscribe();
    this.subscriptions = [];
  }

  private onEvent(event: ReceiverHostEvent): void {
    const status = this.byStream.get(event.streamId);
    if (!status) return;
    if (event.type === 'block') {
      this.blocks.addBlock(event.streamId, event.block);
      status.recordsStored += event.block.count;
      return;
    }
    status.update(event.executorId, event.info, event.errorCounts);
    const type = event.event === 'started' ? 'onReceiverStarted' : event.event === 'stopped' ? 'onReceiverStopped' : 'onReceiverError';
    this.bus.post({ type, payload: { receiverInfo: event.info } });
  }

  private onExecutorLost(executorId: string, reason: string): void {
    for (const status of this.byStream.values()) {
      const info = status.info();
      if (info.executorId !== executorId || !info.active) continue;
      status.markLost(executorId, reason);
      this.bus.post({ type: 'onReceiverError', payload: { receiverInfo: status.info() } });
    }
    const lost = this.blocks.dropBlocksOnlyOn(executorId);
    if (lost.length > 0) {
      const records = lost.reduce((n, b) => n + b.count, 0);
      this.log(
        `lost ${lost.length} block(s) (${records} records) with executor ${executorId}: they were kept only there ` +
          `(blockReplication=1); set blockReplication to 2 to keep a copy on the driver`,
      );
    }
  }
}
