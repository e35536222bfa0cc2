import type { StreamingConf } from '../../context/conf.js';
import type { InputDStream } from '../../dstream/input-dstream.js';
import type { ListenerBus } from '../../listener/listener-bus.js';
import { PidRateEstimator } from './pid-rate-estimator.js';
import { RateController } from './rate-controller.js';

/** Where a stream's rate goes: its receivers (wherever they run) or the stream itself. */
export type RatePublisher = (streamId: number, recordsPerSecond: number) => void;

/**
 * backpressureEnabled: one RateController per input stream whose rate the engine can set
 * (receiver streams, the Kafka direct stream), fed by every completed batch. Publishes
 * the initial rate (if any) at start, then each new estimate.
 */
export class Backpressure {
  private readonly controllers = new Map<number, RateController>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    conf: StreamingConf,
    inputs: readonly InputDStream<unknown>[],
    private readonly publish: RatePublisher,
    private readonly log: (line: string) => void,
  ) {
    const settings = {
      proportional: conf.backpressurePidProportional,
      integral: conf.backpressurePidIntegral,
      derived: conf.backpressurePidDerived,
      minRate: conf.backpressurePidMinRate,
    };
    for (const input of inputs) {
      if (!input.rateControllable) continue;
      const estimator = new PidRateEstimator(conf.batchDurationMs, settings);
      const id = input.id;
      this.controllers.set(id, new RateController(id, estimator, (rate) => this.publish(id, rate), conf.backpressureInitialRate));
    }
  }

  start(bus: ListenerBus): void {
    for (const c of this.controllers.values()) if (c.latestRate > 0) this.publish(c.streamId, c.latestRate);
    this.unsubscribe = bus.addListener({
      onBatchCompleted: ({ batchInfo }) => {
        for (const c of this.controllers.values()) c.onBatchCompleted(batchInfo);
      },
    });
    if (this.controllers.size === 0) this.log('backpressure is on, but no input stream of this job takes a rate (receivers and the Kafka direct stream do)');
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** The rate (records per second) the controller of stream `streamId` last set; undefined if it has none. */
  rateOf(streamId: number): number | undefined {
    const rate = this.controllers.get(streamId)?.latestRate;
    return rate !== undefined && rate > 0 ? rate : undefined;
  }
}
