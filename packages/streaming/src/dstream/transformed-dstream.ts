import type { RDD } from '../rdd/rdd.js';
import { DStream } from './dstream.js';
import { describeParameter } from './graph-signature.js';

/**
 * A DStream whose RDD for each batch is a function of its parents' RDDs for that batch:
 * map, filter, flatMap, mapPartitions, glom, repartition, reduceByKey, transform, union...
 * The function runs while a batch is generated, on the driver and (again) on executors
 * rebuilding the lineage, so it must only build RDDs, not act on them.
 */
export class TransformedDStream<T> extends DStream<T> {
  constructor(
    readonly dependencies: DStream<unknown>[],
    private readonly transformFunc: (rdds: RDD<unknown>[], time: number) => RDD<T>,
    readonly name: string,
    /** The user's functions and parameters behind transformFunc, for the fingerprint. */
    private readonly userArgs: unknown[] = [],
  ) {
    super(dependencies[0]!.graph);
    for (const d of dependencies) {
      if (d.graph !== this.graph) throw new Error('cannot combine DStreams of different StreamingContexts');
      if (d.slideDurationMs !== this.slideDurationMs) {
        throw new Error(
          `${name}: DStreams have different slide durations (${d.toString()} slides every ${d.slideDurationMs} ms, ` +
            `${String(dependencies[0])} every ${this.slideDurationMs} ms); window them to the same slide first`,
        );
      }
    }
  }

  override signatureDetail(): string[] {
    return this.userArgs.map(describeParameter);
  }

  protected compute(time: number): RDD<T> {
    const parents = this.dependencies.map((d) => d.getOrCompute(time));
    return this.transformFunc(parents, time);
  }
}
