import { BlockRDD, type BlockDescriptor } from '../rdd/block-rdd';
import type { InputRDD } from '../rdd/input-rdd';
import type { Receiver } from '../receiver/receiver';
import type { ReceivedBlockTracker } from '../scheduler/received-block-tracker';
import type { DStreamGraph } from './dstream-graph';
import { InputDStream } from './input-dstream';

/**
 * The stream of a receiver: each batch is the blocks the receiver cut since the last
 * batch, one partition per block.
 */
export class ReceiverInputDStream<T> extends InputDStream<T> {
  readonly name: string;

  constructor(
    graph: DStreamGraph,
    readonly receiver: Receiver<T>,
    private readonly tracker: ReceivedBlockTracker | null,
  ) {
    super(graph);
    receiver.streamId = this.id;
    this.name = `ReceiverInputDStream(${receiver.name})`;
  }

  override get signatureName(): string {
    return `ReceiverInputDStream(${this.receiver.constructor.name})`;
  }

  get streamId(): number {
    return this.id;
  }

  protected computeOnDriver(time: number): InputRDD<T> {
    const blocks = this.tracker!.blocksOfBatch(time, this.id);
    const descriptors: BlockDescriptor[] = blocks.map((b) => ({ blockId: b.blockId, count: b.count, bytes: b.byteLength }));
    return new BlockRDD(descriptors, this.receiver.decodeFrame, blocks);
  }

  protected restore(_time: number, descriptor: unknown): InputRDD<T> {
    return new BlockRDD(descriptor as BlockDescriptor[], this.receiver.decodeFrame, null);
  }
}
