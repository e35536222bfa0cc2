import type { ReceiverInputDStream } from '../dstream/receiver-input-dstream.js';
import type { ListenerBus } from '../listener/listener-bus.js';
import { ReceiverSupervisor, supervisorLimits } from '../receiver/receiver-supervisor.js';
import type { StreamingConf } from '../context/conf.js';
import type { ReceivedBlockTracker } from './received-block-tracker.js';
import type { ReceiverTracking } from './receiver-tracking.js';
import { describeMediaError } from '../checkpoint/durable-file.js';

/**
 * Runs the receivers in the driver process (receiverPlacement 'driver', the default):
 * the driver receives every byte and each block travels once more, inside the task that
 * reads it, to whichever executor has a free core. Every received block stays on the
 * driver until its batch is done, so losing an executor loses nothing. See
 * ExecutorReceiverTracker for receivers placed on executors.
 */
export class ReceiverTracker implements ReceiverTracking {
  readonly supervisors: ReceiverSupervisor[] = [];

  constructor(
    private readonly streams: ReceiverInputDStream<unknown>[],
    private readonly blocks: ReceivedBlockTracker,
    private readonly conf: StreamingConf,
    private readonly bus: ListenerBus,
    private readonly log: (line: string) => void,
    /** A write-ahead log that cannot be written stops the context (never acknowledge what is not on disk). */
    private readonly fatal: (message: string) => void = () => {},
  ) {}

  get streamIds(): number[] {
    return this.streams.map((s) => s.streamId);
  }

  get statuses(): ReceiverSupervisor[] {
    return this.supervisors;
  }

  async start(): Promise<void> {
    for (const stream of this.streams) {
      const supervisor = new ReceiverSupervisor(stream.receiver, {
        ...supervisorLimits(this.conf),
        bufferedBytes: () => this.blocks.heldBytes,
        bus: this.bus,
        onBlock: (streamId, block) => {
          const wal = stream.writeAheadLog;
          if (!wal) return this.blocks.addBlock(streamId, block);
          return wal.append(block).then(
            (ref) => this.blocks.addBlock(streamId, block, ref),
            (err: unknown) => {
              this.fatal(describeMediaError(err, `the write-ahead log of ${stream.toString()} (${wal.dir}) could not be written`));
              throw err;
            },
          );
        },
        log: this.log,
      });
      this.supervisors.push(supervisor);
    }
    await Promise.all(this.supervisors.map((s) => s.start()));
  }

  setRate(streamId: number, recordsPerSecond: number): void {
    for (const s of this.supervisors) if (s.streamId === streamId) s.updateRate(recordsPerSecond);
  }

  async stop(): Promise<void> {
    await Promise.all(this.supervisors.map((s) => s.stop()));
    // The last blocks are on disk (and in the tracker) before the final batch is generated.
    await Promise.all(this.streams.map((s) => s.writeAheadLog?.close() ?? Promise.resolve()));
  }
}
