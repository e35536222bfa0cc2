import type { RDD } from '../rdd/rdd';
import { runInChildScope } from '../rdd/rdd-scope';
import type { DStreamGraph } from './dstream-graph';

/**
 * A discretized stream: a sequence of RDDs, one per batch. A DStream is a recipe: for a
 * batch time it produces that batch's RDD from its parents' RDDs (compute), and remembers
 * it for the other output operations of the same batch.
 *
 * Ids come from construction order in the job module, which the driver and every
 * executor run alike; that is how an executor finds "the map of DStream 4".
 *
 * The operators (map, reduceByKey, print, ...) are installed by dstream-operators.ts.
 */
export abstract class DStream<T> {
  readonly id: number;
  private readonly generated = new Map<number, RDD<T>>();

  protected constructor(readonly graph: DStreamGraph) {
    this.id = graph.register(this as DStream<unknown>);
  }

  abstract readonly dependencies: DStream<unknown>[];
  /** Operator name, for lineage printouts and the UI. */
  abstract readonly name: string;

  /** Produces this stream's RDD for batch `time`. Runs while the batch is generated. */
  protected abstract compute(time: number): RDD<T>;

  get slideDurationMs(): number {
    return this.graph.batchDurationMs;
  }

  /** This stream's RDD for `time`, computed once per batch and shared by all its users. */
  getOrCompute(time: number): RDD<T> {
    let rdd = this.generated.get(time);
    if (!rdd) {
      rdd = runInChildScope(`d${this.id}`, () => this.compute(time), time);
      this.generated.set(time, rdd);
    }
    return rdd;
  }

  /** Drops remembered RDDs of batches up to `time`. */
  forget(time: number): void {
    for (const t of this.generated.keys()) if (t <= time) this.generated.delete(t);
  }

  /** The earliest batch whose RDD this stream still remembers, if any. */
  oldestRememberedTime(): number | undefined {
    let oldest: number | undefined;
    for (const t of this.generated.keys()) if (oldest === undefined || t < oldest) oldest = t;
    return oldest;
  }

  toString(): string {
    return `${this.name}[${this.id}]`;
  }
}
