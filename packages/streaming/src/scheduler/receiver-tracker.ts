import type { ReceiverInputDStream } from '../dstream/receiver-input-dstream';
import type { ListenerBus } from '../listener/listener-bus';
import { ReceiverSupervisor } from '../receiver/receiver-supervisor';
import type { StreamingConf } from '../context/conf';
import type { ReceivedBlockTracker } from './received-block-tracker';

/**
 * Starts and stops the receivers of all receiver input streams. Receivers run in the
 * driver process: the driver already receives every byte (it is the node the sources
 * connect to), so a block travels exactly once, driver to the executor whose task reads
 * it. Running receivers on executors instead would add a hop back to the driver for
 * scheduling or a peer-to-peer block fetch; see the README's "Where receivers run".
 */
export class ReceiverTracker {
  readonly supervisors: ReceiverSupervisor[] = [];

  constructor(
    private readonly streams: ReceiverInputDStream<unknown>[],
    private readonly blocks: ReceivedBlockTracker,
    private readonly conf: StreamingConf,
    private readonly bus: ListenerBus,
    private readonly log: (line: string) => void,
  ) {}

  get streamIds(): number[] {
    return this.streams.map((s) => s.streamId);
  }

  async start(): Promise<void> {
    for (const stream of this.streams) {
      const supervisor = new ReceiverSupervisor(stream.receiver, {
        blockIntervalMs: this.conf.blockIntervalMs,
        restartDelayMs: this.conf.receiverRestartDelayMs,
        maxRate: this.conf.receiverMaxRate,
        bus: this.bus,
        onBlock: (streamId, block) => this.blocks.addBlock(streamId, block),
        log: this.log,
      });
      this.supervisors.push(supervisor);
    }
    await Promise.all(this.supervisors.map((s) => s.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.supervisors.map((s) => s.stop()));
  }

  supervisorOf(streamId: number): ReceiverSupervisor | undefined {
    return this.supervisors.find((s) => s.receiver.streamId === streamId);
  }
}
