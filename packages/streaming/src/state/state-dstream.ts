import type { DStream } from '../dstream/dstream.js';
import type { Partitioner } from '../rdd/partitioner.js';
import type { RDD } from '../rdd/rdd.js';
import { RecursiveDStream } from './recursive-dstream.js';
import { UpdateStateRDD, type UpdateFunction } from './update-state-rdd.js';

/** updateStateByKey (Spark's StateDStream): every key's state after each batch. */
export class StateDStream<K, V, S> extends RecursiveDStream<[K, S], K, S> {
  readonly name = 'StateDStream';
  readonly dependencies: DStream<unknown>[];

  constructor(
    parent: DStream<[K, V]>,
    private readonly updateFn: UpdateFunction<V, S>,
    partitioner: Partitioner,
    initial: [K, S][] | null,
  ) {
    super(parent, partitioner, initial);
    this.dependencies = [parent];
    this.enableCheckpoints();
  }

  protected compute(time: number): RDD<[K, S]> {
    const prev = this.previous(time) ?? this.initialStateRDD(time);
    const grouped = (this.parent as DStream<[K, V]>).getOrCompute(time).groupByKey(this.partitioner);
    return new UpdateStateRDD(prev, grouped, this.updateFn, this.checkpointCodec()).persist();
  }
}
