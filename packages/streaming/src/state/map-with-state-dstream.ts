import { serialize, deserialize } from 'node:v8';
import type { PartitionCodec } from '../checkpoint/partition-codec.js';
import type { DStream } from '../dstream/dstream.js';
import { TransformedDStream } from '../dstream/transformed-dstream.js';
import { toPartitioner } from '../rdd/rdd-operations.js';
import { oneToOne, type Dependency } from '../rdd/dependency.js';
import { RDD } from '../rdd/rdd.js';
import type { TaskEnv } from '../rdd/task-env.js';
import { MapWithStateRDD, stateOf, type MapWithStateRecord } from './map-with-state-rdd.js';
import { RecursiveDStream } from './recursive-dstream.js';
import type { StateSpec } from './state-spec.js';
import { StateMap, type StateColumns } from './state-map.js';

type Record<K, S, M> = MapWithStateRecord<K, S, M>;

/**
 * The state behind mapWithState (Spark's InternalMapWithStateDStream): one record per
 * partition per batch holding the key states and the batch's mapped values. The stream
 * users see (mapped values, or stateSnapshots) is a narrow transformation of it.
 */
export class InternalMapWithStateDStream<K, V, S, M> extends RecursiveDStream<Record<K, S, M>, K, S> {
  readonly name = 'InternalMapWithStateDStream';
  readonly dependencies: DStream<unknown>[];

  constructor(
    parent: DStream<[K, V]>,
    private readonly spec: StateSpec<K, V, S, M>,
  ) {
    super(parent, toPartitioner(spec.getPartitions()), spec.getInitialState());
    this.dependencies = [parent];
    this.enableCheckpoints();
  }

  protected compute(time: number): RDD<Record<K, S, M>> {
    const prev = this.previous(time) ?? this.initialRecords(time);
    const data = (this.parent as DStream<[K, V]>).getOrCompute(time).partitionBy(this.partitioner);
    const timeout = this.spec.getTimeoutMs();
    const threshold = timeout === null ? null : time - timeout;
    return new MapWithStateRDD(prev, data, this.spec.mappingFunction, threshold, this.checkpointCodec()).persist();
  }

  private initialRecords(time: number): RDD<Record<K, S, M>> {
    return this.initialStateRDD(time).mapPartitions((pairs) => {
      const stateMap = new StateMap<K, S>(time);
      for (const [k, s] of pairs) stateMap.put(k, s, time);
      return [{ stateMap, version: time, mapped: [] as M[] }];
    });
  }

  /** Checkpoint files hold each partition's states as columns plus its mapped values. */
  override checkpointCodec(): PartitionCodec<Record<K, S, M>> {
    return {
      encode: (records) =>
        serialize(
          records.map((r) => {
            if (r.stateMap.version !== r.version) throw new Error(`cannot checkpoint the states of ${r.version}: the map moved on to ${r.stateMap.version}`);
            return { version: r.version, state: r.stateMap.toColumns(), mapped: r.mapped };
          }),
        ),
      decode: (bytes) =>
        (deserialize(bytes) as { version: number; state: StateColumns<K, S>; mapped: M[] }[]).map((r) => ({
          stateMap: StateMap.fromColumns(r.version, r.state),
          version: r.version,
          mapped: r.mapped,
        })),
    };
  }
}

/**
 * What mapWithState returns: the values the mapping function returned in each batch
 * (one per record, plus one per key timing out). stateSnapshots() is every key's state.
 */
export class MapWithStateDStream<K, V, S, M> extends TransformedDStream<M> {
  constructor(readonly internal: InternalMapWithStateDStream<K, V, S, M>) {
    super([internal], ([rdd]) => mappedValues(rdd as RDD<Record<K, S, M>>), 'MapWithStateDStream');
  }

  /** Every key and its state after each batch. */
  stateSnapshots(): DStream<[K, S]> {
    return new TransformedDStream<[K, S]>(
      [this.internal],
      ([rdd]) => new StateSnapshotRDD(rdd as RDD<Record<K, S, M>>),
      'StateSnapshotsDStream',
    );
  }
}

function mappedValues<K, S, M>(rdd: RDD<Record<K, S, M>>): RDD<M> {
  return rdd.mapPartitions((records) => (records.length === 1 ? records[0]!.mapped : records.flatMap((r) => r.mapped)));
}

/** The pairs of every key and its state after the state RDD's batch. */
class StateSnapshotRDD<K, S, M> extends RDD<[K, S]> {
  readonly name = 'StateSnapshotRDD';
  readonly dependencies: Dependency[];

  constructor(private readonly state: RDD<Record<K, S, M>>) {
    super();
    this.dependencies = [oneToOne(state)];
  }

  get numPartitions(): number {
    return this.state.numPartitions;
  }

  async compute(partition: number, env: TaskEnv): Promise<[K, S][]> {
    const out: [K, S][] = [];
    for (const e of (await stateOf(this.state, partition, env)).entries()) out.push([e.key, e.state]);
    return out;
  }
}
