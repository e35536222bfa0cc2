import type { DStream } from '../dstream/dstream.js';
import type { Partitioner } from '../rdd/partitioner.js';
import type { RDD } from '../rdd/rdd.js';
import { toPartitioner } from '../rdd/rdd-operations.js';
import { formatDuration, parseDuration, type Duration } from '../util/duration.js';
import { RecursiveDStream } from './recursive-dstream.js';
import { ReducedWindowRDD, type WindowReduceFunctions } from './reduced-window-rdd.js';

/**
 * reduceByKeyAndWindow with an inverse function (Spark's ReducedWindowedDStream): each
 * window is the previous one updated with the batches that entered and left it, so its
 * cost does not grow with the window's length. Its parent is the per-batch reduceByKey
 * (persisted: a batch is read when it enters the window and again when it leaves).
 */
export class ReducedWindowedDStream<K, V> extends RecursiveDStream<[K, V], K, V> {
  readonly name = 'ReducedWindowedDStream';
  readonly dependencies: DStream<unknown>[];

  constructor(
    private readonly reduced: DStream<[K, V]>,
    private readonly fns: WindowReduceFunctions<K, V>,
    readonly windowDurationMs: number,
    private readonly slideMs: number,
    partitioner: Partitioner,
  ) {
    const step = reduced.slideDurationMs;
    for (const [what, ms] of [['window duration', windowDurationMs], ['slide duration', slideMs]] as const) {
      if (!Number.isInteger(ms) || ms <= 0 || ms % step !== 0) {
        throw new Error(
          `reduceByKeyAndWindow: the ${what} (${formatDuration(ms)}) must be a positive multiple of the batch duration (${formatDuration(step)})`,
        );
      }
    }
    super(reduced, partitioner, null);
    this.dependencies = [reduced];
    reduced.persist();
    this.enableCheckpoints();
  }

  override get slideDurationMs(): number {
    return this.slideMs;
  }

  /** The reduced batches are read again when they leave the window. */
  protected override parentRememberDurationMs(): number {
    return super.parentRememberDurationMs() + this.windowDurationMs;
  }

  protected compute(time: number): RDD<[K, V]> {
    const step = this.reduced.slideDurationMs;
    const windowStart = time - this.windowDurationMs + step;
    const prevWindowStart = windowStart - this.slideMs;
    const prev = this.previous(time) ?? this.initialStateRDD(time);
    // Batches that left the window since the previous one, and those that entered it.
    // (With a slide longer than the window the two windows do not overlap: no batch left
    // the window that was in it before, and the whole new window entered.)
    const prevWindowEnd = time - this.slideMs;
    const olds = this.reduced.slice(prevWindowStart, Math.min(windowStart - step, prevWindowEnd)).map((r) => r.persist());
    const news = this.reduced.slice(Math.max(windowStart, prevWindowEnd + step), time).map((r) => r.persist());
    return new ReducedWindowRDD(prev, olds, news, this.fns).persist();
  }
}

/**
 * reduceByKeyAndWindow(reduceFn, invReduceFn, windowDuration, slideDuration?, partitions?,
 * filterFn?), Spark's argument order. The slide defaults to the stream's; partitions to
 * the default parallelism. filterFn drops pairs from each window (and so from the next
 * window's starting point), e.g. keys whose count fell to 0.
 */
export function reduceByKeyAndWindowWithInverse<K, V>(
  stream: DStream<[K, V]>,
  reduceFn: (a: V, b: V) => V,
  invReduceFn: (a: V, b: V) => V,
  windowDuration: Duration,
  slideDuration?: Duration,
  partitions?: number | Partitioner,
  filterFn?: (pair: [K, V]) => boolean,
): DStream<[K, V]> {
  if (typeof invReduceFn !== 'function') throw new TypeError('reduceByKeyAndWindow: the inverse reduce function must be a function');
  if (filterFn !== undefined && typeof filterFn !== 'function') throw new TypeError('reduceByKeyAndWindow: filterFn must be a function');
  const partitioner = toPartitioner(partitions);
  const windowMs = parseDuration(windowDuration, 'window duration');
  const slideMs = slideDuration === undefined ? stream.slideDurationMs : parseDuration(slideDuration, 'slide duration');
  return new ReducedWindowedDStream(
    stream.reduceByKey(reduceFn, partitioner),
    { reduce: reduceFn, invReduce: invReduceFn, filter: filterFn ?? null },
    windowMs,
    slideMs,
    partitioner,
  );
}
