import type { RDD } from '../rdd/rdd.js';
import { UnionRDD } from '../rdd/union-rdd.js';
import { formatDuration } from '../util/duration.js';
import { DStream } from './dstream.js';

/**
 * window(windowDuration, slideDuration): every slide, the union of the parent's RDDs of
 * the last windowDuration (Spark's WindowedDStream). No data moves: the window's
 * partitions are its parent's partitions of those batches.
 *
 * The parent's RDDs are read again by the next windows, so the parent remembers a window
 * more than this stream does, and it is persisted: each batch is computed (or received)
 * once, and later windows read the cached partitions instead of recomputing them.
 */
export class WindowedDStream<T> extends DStream<T> {
  readonly name = 'WindowedDStream';
  readonly dependencies: DStream<unknown>[];

  constructor(
    readonly parent: DStream<T>,
    readonly windowDurationMs: number,
    private readonly slideMs: number,
  ) {
    // Checked before the stream joins the graph, so a rejected window leaves no trace.
    checkMultiple('window duration', windowDurationMs, parent);
    checkMultiple('slide duration', slideMs, parent);
    super(parent.graph);
    this.dependencies = [parent];
    parent.persist();
  }

  override get slideDurationMs(): number {
    return this.slideMs;
  }

  protected override parentRememberDurationMs(): number {
    return super.parentRememberDurationMs() + this.windowDurationMs;
  }

  /** A window is persisted through its parent, whose RDDs it is made of (as in Spark). */
  override persist(): this {
    this.parent.persist();
    return this;
  }

  override signatureDetail(): string[] {
    return [`window ${this.windowDurationMs} ms`, `slide ${this.slideMs} ms`];
  }

  protected compute(time: number): RDD<T> {
    const step = this.parent.slideDurationMs;
    return new UnionRDD(this.parent.slice(time - this.windowDurationMs + step, time));
  }
}

function checkMultiple(what: string, ms: number, parent: DStream<unknown>): void {
  const step = parent.slideDurationMs;
  if (!Number.isInteger(ms) || ms <= 0 || ms % step !== 0) {
    const of = parent.slideDurationMs === parent.graph.batchDurationMs ? 'the batch duration' : `the slide duration of ${parent.toString()}`;
    throw new Error(
      `window: the ${what} (${formatDuration(ms)}) must be a positive multiple of ${of} (${formatDuration(step)})`,
    );
  }
}
