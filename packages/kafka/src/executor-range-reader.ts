import type { KafkaConfig } from 'kafkajs';
import { explainKafkaError, isUnreachable } from './kafka-errors.js';
import type { KafkaRecord } from './kafka-record.js';
import type { RangeReader } from './kafka-rdd.js';
import { createCluster, type KafkaCluster } from './kafkajs-cluster.js';
import type { OffsetRange } from './offset-range.js';
import { streamOffsetRange, UNREACHABLE_WAIT_MS, type ReadOptions } from './partition-reader.js';

/**
 * An executor's reader for one stream: one kafkajs Cluster (a connection per broker and
 * a metadata cache), opened by the first task and kept for the life of the process, as
 * Spark caches its Kafka consumers per executor. Concurrent tasks share it.
 */
export class ExecutorRangeReader implements RangeReader {
  private cluster: Promise<KafkaCluster> | null = null;

  constructor(
    private readonly config: KafkaConfig,
    private readonly options: ReadOptions,
  ) {}

  async *stream(range: OffsetRange): AsyncGenerator<KafkaRecord[]> {
    yield* streamOffsetRange(await this.connectedWaiting(), range, this.options);
  }

  /** Connects, waiting out brokers that cannot be reached as long as a read would (see streamOffsetRange). */
  private async connectedWaiting(): Promise<KafkaCluster> {
    const since = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.connected();
      } catch (err) {
        if (!isUnreachable(err) || Date.now() - since >= UNREACHABLE_WAIT_MS) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.min(200 * attempt, 2000)));
      }
    }
  }

  /**
   * Connects ahead of the first task, and loads the metadata of `topics`, so the first
   * batch does not pay for it. A failure here is not reported: the first task retries
   * and reports it with the range it could not read.
   */
  warmUp(topics: readonly string[]): void {
    this.connected()
      .then((cluster) => (topics.length > 0 ? cluster.addMultipleTargetTopics([...topics]) : undefined))
      .catch(() => undefined);
  }

  private connected(): Promise<KafkaCluster> {
    if (!this.cluster) {
      const cluster = createCluster(this.config, { isolationLevel: this.options.isolationLevel });
      this.cluster = cluster.connect().then(
        () => cluster,
        (err: unknown) => {
          // Let the next task try again rather than keep a failed connection forever.
          this.cluster = null;
          throw new Error(`executor: ${explainKafkaError(err, this.options.brokers)}`, { cause: err });
        },
      );
    }
    return this.cluster;
  }
}
