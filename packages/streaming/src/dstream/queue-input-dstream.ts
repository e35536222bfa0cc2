import { ParallelCollectionRDD } from '../rdd/parallel-collection-rdd.js';
import type { InputRDD } from '../rdd/input-rdd.js';
import type { DStreamGraph } from './dstream-graph.js';
import { InputDStream } from './input-dstream.js';

export interface QueueStreamOptions<T> {
  /** Take one batch's records from the queue per batch (default), or all queued ones. */
  oneAtATime?: boolean;
  /** Records of a batch when the queue is empty (default: none). */
  defaultRecords?: T[];
  /** Partitions of each batch (default: the default parallelism). */
  numSlices?: number;
}

/**
 * queueStream: each batch takes the next array of records from a queue the caller keeps
 * filling. Meant for tests and demos, as in Spark.
 */
export class QueueInputDStream<T> extends InputDStream<T> {
  readonly name = 'QueueInputDStream';

  constructor(
    graph: DStreamGraph,
    private readonly queue: T[][],
    private readonly options: QueueStreamOptions<T>,
    private readonly defaultSlices: number,
  ) {
    super(graph);
  }

  protected computeOnDriver(): InputRDD<T> {
    let records: T[];
    if (this.queue.length === 0) records = this.options.defaultRecords ?? [];
    else if (this.options.oneAtATime ?? true) records = this.queue.shift()!;
    else records = this.queue.splice(0, this.queue.length).flat();
    return new ParallelCollectionRDD(records, this.options.numSlices ?? this.defaultSlices);
  }

  protected restore(_time: number, descriptor: unknown): InputRDD<T> {
    return new ParallelCollectionRDD<T>(null, (descriptor as { numSlices: number }).numSlices);
  }
}
