import type { Action } from '../rdd/action.js';
import { writePartitionFile } from './checkpoint-files.js';
import type { PartitionCodec } from './partition-codec.js';

/**
 * The job that saves an RDD: every task writes its partition to the checkpoint directory
 * (on the executor that computes it, so no state travels through the driver).
 */
export function checkpointWriteAction<T>(dir: string, rddId: string, codec: PartitionCodec<T>): Action<T, number, number> {
  return {
    kind: 'checkpoint',
    perPartition: async (items, partition) => {
      const bytes = codec.encode(items);
      await writePartitionFile(dir, rddId, partition, bytes);
      return bytes.byteLength;
    },
    combine: (sizes) => sizes.reduce((a, b) => a + b, 0),
  };
}
