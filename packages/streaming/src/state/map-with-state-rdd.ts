import { readCheckpointedPartition } from '../checkpoint/checkpoint-reader-rdd.js';
import type { PartitionCodec } from '../checkpoint/partition-codec.js';
import { oneToOne, type Dependency } from '../rdd/dependency.js';
import { RDD } from '../rdd/rdd.js';
import type { TaskEnv } from '../rdd/task-env.js';
import { StateImpl, type State } from './state.js';
import type { StateMap } from './state-map.js';

/** One partition of a mapWithState stream's state at one batch (Spark's MapWithStateRDDRecord). */
export interface MapWithStateRecord<K, S, M> {
  /**
   * The key states after batch `version`, if `stateMap.version` still says so: the next
   * batch takes the map over and changes it in place (state-map.ts), after which this
   * record is stale and whoever still needs these states recomputes them.
   */
  stateMap: StateMap<K, S>;
  version: number;
  /** What the mapping function returned for this batch's keys (and timed-out ones). */
  mapped: M[];
}

/**
 * The key states of partition p of a state RDD (after its batch). `takeOver`: the caller
 * (the next batch) may change the map in place. A record whose map has moved on to a later
 * batch (a retried task, a late reader) is recomputed from its lineage: the last checkpoint
 * and the batches since. A recomputed map is a fresh one, never shared.
 */
export async function stateOf<K, S>(rdd: RDD<MapWithStateRecord<K, S, unknown>>, partition: number, env: TaskEnv): Promise<StateMap<K, S>> {
  const [record] = await rdd.iterator(partition, env);
  if (record && record.stateMap.version === record.version) return record.stateMap;
  const [fresh] = await rdd.compute(partition, env);
  if (!fresh || fresh.stateMap.version !== fresh.version) {
    throw new Error(`state partition ${partition} of ${rdd.id} could not be rebuilt from its lineage`);
  }
  return fresh.stateMap;
}

export type MappingFunction<K, V, S, M> = (key: K, value: V | undefined, state: State<S>) => M;

/**
 * The state of a mapWithState stream after batch `batchTime`, partition by partition:
 * partition p = the previous batch's partition p + this batch's records whose keys belong
 * to p (the new data is partitioned by the state's partitioner), so state partitions
 * never move. Each partition is one record: the key states and the batch's mapped values.
 */
export class MapWithStateRDD<K, V, S, M> extends RDD<MapWithStateRecord<K, S, M>> {
  readonly name = 'MapWithStateRDD';
  readonly numPartitions: number;
  private prev: RDD<MapWithStateRecord<K, S, M>> | null;
  private data: RDD<[K, V]> | null;

  constructor(
    prev: RDD<MapWithStateRecord<K, S, M>>,
    data: RDD<[K, V]>,
    private readonly fn: MappingFunction<K, V, S, M>,
    /** Keys last updated before this time time out in this batch; null: no timeout. */
    private readonly timeoutThreshold: number | null,
    private readonly codec: PartitionCodec<MapWithStateRecord<K, S, M>>,
  ) {
    super();
    if (prev.numPartitions !== data.numPartitions) {
      throw new Error(`mapWithState: state has ${prev.numPartitions} partitions but the new data ${data.numPartitions}`);
    }
    this.numPartitions = prev.numPartitions;
    this.prev = prev;
    this.data = data;
  }

  get dependencies(): Dependency[] {
    if (!this.prev || !this.data) return [];
    return [oneToOne(this.prev), oneToOne(this.data)];
  }

  protected override releaseParents(): void {
    this.prev = null;
    this.data = null;
  }

  async compute(partition: number, env: TaskEnv): Promise<MapWithStateRecord<K, S, M>[]> {
    if (!this.prev || !this.data) return readCheckpointedPartition(this, partition, this.codec);
    const [stateMap, records] = await Promise.all([stateOf(this.prev, partition, env), this.data.iterator(partition, env)]);
    // The previous batch's map becomes this batch's (its record is stale from now on);
    // if the mapping function throws, the map is left as it was.
    const mapped = stateMap.transition(this.batchTime, () =>
      updateStates(stateMap, records, this.fn, this.batchTime, this.timeoutThreshold),
    );
    return [{ stateMap, version: this.batchTime, mapped }];
  }
}

/**
 * Spark's update of one partition: the function runs once per record (in arrival order),
 * then once per key idle since before the threshold (isTimingOut() true), which is then
 * removed. Keys with a timeout keep their last-update time fresh whenever they get data.
 */
export function updateStates<K, V, S, M>(
  stateMap: StateMap<K, S>,
  records: [K, V][],
  fn: MappingFunction<K, V, S, M>,
  batchTime: number,
  timeoutThreshold: number | null,
): M[] {
  const state = new StateImpl<S>();
  const mapped: M[] = [];
  for (let i = 0; i < records.length; i++) {
    const [key, value] = records[i]!;
    const entry = stateMap.get(key);
    state.wrap(entry?.state, entry !== undefined);
    mapped.push(fn(key, value, state));
    if (state.removed) stateMap.remove(key);
    else if (state.updated || (state.exists() && timeoutThreshold !== null)) stateMap.put(key, state.get(), batchTime);
  }
  if (timeoutThreshold !== null) {
    // Collected first: the map must not change while it is being walked.
    const idle = [...stateMap.idleSince(timeoutThreshold)];
    for (const entry of idle) {
      state.wrapTimingOut(entry.state);
      mapped.push(fn(entry.key, undefined, state));
      stateMap.remove(entry.key);
    }
  }
  return mapped;
}
