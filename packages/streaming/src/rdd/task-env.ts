/**
 * What a task's computation can read besides the lineage itself: the bulk input the
 * driver shipped with the task and the shuffle data it reads. Implemented by the executor.
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
  /** Serialized map outputs (one bucket per map task) this reduce task reads. */
  shuffleBuckets(shuffleId: string): Uint8Array[];
  /** Counts records read from inputs, for metrics. */
  recordsRead: number;
}
