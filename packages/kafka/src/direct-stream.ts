import { currentScope, InputDStream, type StreamInputInfo, type StreamingContext } from '@sluice/streaming/internal';
import { DirectStreamDriver, type TransactionalOffsetsOwner } from './direct-stream-driver.js';
import type { CommitCallback } from './offset-committer.js';
import { resolveDirectStreamOptions, type DirectStreamOptions, type DirectStreamSettings } from './direct-stream-options.js';
import { ExecutorRangeReader } from './executor-range-reader.js';
import { KafkaRDD } from './kafka-rdd.js';
import type { KafkaRecord } from './kafka-record.js';
import type { OffsetRange } from './offset-range.js';
import { describeSubscription } from './subscription.js';

/**
 * Spark's direct Kafka stream: no receiver. Before each batch the driver asks Kafka for
 * the latest offsets and fixes one offset range per topic-partition; the batch's RDD
 * has one partition per range, and each executor reads its range straight from Kafka.
 * Records are delivered once per successful batch; offsets are committed to the group
 * by commitAsync (at-least-once) or by an exactly-once Kafka output (see writeToKafka).
 */
export class KafkaDirectStream extends InputDStream<KafkaRecord> {
  readonly name: string;
  private readonly settings: DirectStreamSettings;
  private readonly reader: ExecutorRangeReader;
  /** Driver only: null in executors, which only rebuild batches from their ranges. */
  private readonly driver: DirectStreamDriver | null = null;

  constructor(ssc: StreamingContext, options: DirectStreamOptions) {
    super(ssc.graph);
    this.settings = resolveDirectStreamOptions(options);
    this.name = `KafkaDirectStream(${describeSubscription(this.settings.subscription)})`;
    this.reader = new ExecutorRangeReader(this.settings.executorConfig, {
      isolationLevel: this.settings.isolationLevel,
      fetchMaxBytes: this.settings.fetchMaxBytes,
      brokers: this.settings.brokers,
    });
    if (ssc.mode === 'driver') {
      const driver = new DirectStreamDriver(this.settings, ssc.conf.batchDurationMs, this.toString());
      ssc.addStreamingListener({ onBatchCompleted: (e) => driver.onBatchCompleted(e.batchInfo) });
      this.driver = driver;
    } else {
      const s = this.settings.subscription;
      this.reader.warmUp(s.kind === 'subscribe' ? s.topics : s.kind === 'assign' ? s.partitions.map((tp) => tp.topic) : []);
    }
  }

  /** The consumer group that stores this stream's offsets. */
  get groupId(): string {
    return this.settings.groupId;
  }

  /**
   * Queues `ranges` (from offsetRanges(rdd)) to be committed for the group once the
   * current batch's output operations have all succeeded; the driver commits them right
   * after the batch. Call it in foreachRDD after the output action (as in Spark). The
   * callback says when the commit is stored or failed; do not wait for it inside
   * foreachRDD, since the commit waits for the batch.
   *
   * Does nothing on executors (the replay of a foreachRDD function stops at its action,
   * so it normally does not get here anyway).
   */
  commitAsync(ranges: readonly OffsetRange[], callback?: CommitCallback): void {
    if (!this.driver) return;
    this.driver.commitAsync(ranges, currentBatchTime(), callback);
  }

  /** @internal The stream's log (the driver's), for outputs that report about it. */
  log(line: string): void {
    this.settings.log(line);
  }

  /** @internal The driver-side state, for the exactly-once output. */
  get driverSide(): DirectStreamDriver | null {
    return this.driver;
  }

  /** @internal Hands the stream's offsets to an exactly-once output (see TransactionalOffsetsOwner). */
  attachOffsetsOwner(owner: TransactionalOffsetsOwner): void {
    this.driver?.attachOffsetsOwner(owner);
  }

  /**
   * Sets a total rate for the stream (records per second over all its partitions),
   * shared between partitions in proportion to their lag and capped by
   * maxRatePerPartition, from the next batch on; 0 removes it. Driver side; does
   * nothing on executors.
   *
   * This is where a rate estimator publishes its rate (Spark's RateController for the
   * direct stream): an application that knows its own throughput (sluice-classify) sets
   * it), and backpressure (backpressureEnabled) drives it with Spark's PID estimator.
   */
  setRate(recordsPerSecond: number): void {
    this.driver?.setRate(recordsPerSecond);
  }

  /** Backpressure drives setRate: the estimate is shared by lag, maxRatePerPartition stays the ceiling. */
  override get rateControllable(): boolean {
    return true;
  }

  override publishRate(recordsPerSecond: number): void {
    this.setRate(recordsPerSecond);
  }

  override prepareBatch(time: number): Promise<void> {
    return this.driver ? this.driver.prepareBatch(time) : Promise.resolve();
  }

  /** BatchInfo of a Kafka batch: its records and offset ranges, as Spark reports them. */
  override inputInfo(time: number): StreamInputInfo | null {
    const driver = this.driver;
    if (!driver) return null;
    const ranges = driver.rangesOf(time);
    let numRecords = 0;
    for (const r of ranges) numRecords += r.untilOffset - r.fromOffset;
    return {
      streamId: this.id,
      numRecords,
      bytes: 0,
      metadata: {
        offsets: ranges.map((r) => ({
          topic: r.topic,
          partition: r.partition,
          fromOffset: r.fromOffset,
          untilOffset: r.untilOffset,
          // The partition's end when the batch was cut: its lag is logEndOffset - untilOffset.
          logEndOffset: driver.logEndOffsetAt(time, r.topic, r.partition) ?? r.untilOffset,
        })),
        // What the batch left in the log: 0 once a backlog is worked off (a rate limit no longer holds it back).
        lag: this.driver.lagAfterBatch(time),
      },
    };
  }

  // ---- metadata checkpoints (docs/reliability.md) ----------------------------------

  /** The batch's offset ranges: a restarted driver reads exactly these again. */
  override checkpointBatch(time: number): { ranges: OffsetRange[] } | null {
    if (!this.driver) return null;
    return { ranges: this.driver.rangesOf(time).map((r) => ({ topic: r.topic, partition: r.partition, fromOffset: r.fromOffset, untilOffset: r.untilOffset })) };
  }

  /** Offsets are read again after a restart; a batch without records has nothing to read. */
  override isReplayable(batchInput: unknown): boolean {
    return ((batchInput as { ranges?: OffsetRange[] } | null)?.ranges ?? []).some((r) => r.untilOffset > r.fromOffset);
  }

  override checkpointState(): { positions: Record<string, number> } | null {
    return this.driver ? { positions: this.driver.positionsForCheckpoint() } : null;
  }

  override recover(state: unknown, batches: Map<number, unknown>, pendingTimes: readonly number[] = []): Promise<string> {
    if (!this.driver) return Promise.resolve(`${this.toString()}: nothing to restore on an executor`);
    const positions = (state as { positions?: Record<string, number> } | null)?.positions ?? {};
    const ranges = new Map<number, readonly OffsetRange[]>();
    for (const [time, v] of batches) ranges.set(time, (v as { ranges?: OffsetRange[] } | null)?.ranges ?? []);
    this.driver.recover(positions, ranges, pendingTimes);
    const partitions = Object.keys(positions).length;
    return Promise.resolve(`${this.toString()}: ${partitions} partition(s) resume at the checkpointed offsets; offset ranges of ${ranges.size} batch(es) restored`);
  }

  protected computeOnDriver(time: number): KafkaRDD {
    return new KafkaRDD(this.driver!.rangesOf(time), this.reader, this.settings.countFromOffsets);
  }

  protected restore(_time: number, descriptor: unknown): KafkaRDD {
    return new KafkaRDD(KafkaRDD.rangesOf(descriptor), this.reader, this.settings.countFromOffsets);
  }

  override async stop(): Promise<void> {
    await this.driver?.stop();
  }
}

/** Creates a direct stream of Kafka records (see KafkaDirectStream and DirectStreamOptions). */
export function createDirectStream(ssc: StreamingContext, options: DirectStreamOptions): KafkaDirectStream {
  return new KafkaDirectStream(ssc, options);
}

function currentBatchTime(): number | null {
  try {
    return currentScope().batchTime;
  } catch {
    return null;
  }
}
