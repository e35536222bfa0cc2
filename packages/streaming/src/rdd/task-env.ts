/**
 * What a task's computation can read besides the lineage itself: the bulk input the
 * driver shipped with the task, the shuffle data it reads, and the partitions of
 * persisted RDDs kept where it runs. Implemented by the executor (and by any other
 * backend that runs tasks).
 */
export interface ShippedBlock {
  blockId: string;
  encoding: 'frames' | 'v8';
  count: number;
  /**
   * The block's bytes: the concatenation of these segments. A block is whatever runs of
   * the stream the receiver kept, never concatenated; a block shipped inside a task is a
   * single view of the task's frame. Null on the driver when only an executor holds the
   * bytes (a receiver placed there, no replica).
   */
  segments: Uint8Array[] | null;
  /** The executor whose block store holds this block, when a receiver there stored it. */
  heldBy?: string;
  byteLength: number;
  /** 'frames' only: start and end of each record in data, 2 x count entries. */
  offsets: Uint32Array | null;
}

export interface TaskEnv {
  readonly batchTime: number;
  readonly partition: number;
  readonly attempt: number;
  readonly executorId: string;
  /** Blocks of partition `partition` of input RDD `rddId`, shipped with the task. */
  inputBlocks(rddId: string, partition: number): ShippedBlock[];
  /**
   * The serialized map outputs this reduce task reads from shuffle `shuffleId`: its
   * reduce partition's bucket of every map task, in map order. The backend gets them
   * before the task runs, from wherever the map tasks kept them (TaskSpec.shuffleInputs:
   * an executor fetches them from its peers; none go through the driver).
   */
  shuffleBuckets(shuffleId: string): Uint8Array[];
  /** Counts records read from inputs, for metrics. */
  recordsRead: number;

  // ---- persisted partitions (RDD.iterator) --------------------------------------------
  // Keyed by RDD id (stable across processes, batch time included) and partition. The
  // store behind them keeps the records as they are (no copy); it may drop a partition
  // at any time (bounded memory), after which get returns undefined and the reader
  // computes it again from its lineage. Records handed to put must not be mutated after.

  /** The kept records of partition `partition` of persisted RDD `rddId`, if kept here. */
  getCachedPartition(rddId: string, partition: number): unknown[] | undefined;
  /** Keeps the computed records of a persisted RDD's partition (the store may refuse). */
  putCachedPartition(rddId: string, partition: number, records: unknown[]): void;
}
