/**
 * Why partitions can arrive in chunks.
 *
 * The RDD API hands user functions a partition as an array (the fastest loop on V8), so
 * a task that calls `mapPartitions` or `foreachPartition` holds its whole partition. For
 * receiver blocks that is what the driver shipped anyway. For a Kafka offset range it is
 * not: the range may be far larger than what an executor should hold, and the records
 * can be read a fetch at a time, as Spark's KafkaRDD iterator does.
 *
 * So besides `compute` (the whole partition) an RDD has `computeChunks`: the same records
 * as a sequence of arrays. Input RDDs that read from outside yield as they read;
 * element-wise transformations (map, filter, flatMap) and unions pass each chunk
 * through; everything else (mapPartitions, glom, a shuffle's reduce side) computes its
 * partition whole and yields it as one chunk. At the end of a task, the actions that
 * fold (count, reduce, take, foreach) and the map side of a shuffle consume the chunks
 * one by one, so for them memory per task is one chunk (plus what the source reads
 * ahead), whatever the partition's size. Actions that hand the whole partition to user
 * code (collect, foreachPartition) still gather it: the array API asks for that.
 */
export async function gatherChunks<T>(chunks: AsyncIterable<T[]>): Promise<T[]> {
  let out: T[] | null = null;
  for await (const chunk of chunks) {
    if (out === null) out = chunk;
    else for (let i = 0; i < chunk.length; i++) out.push(chunk[i]!);
  }
  return out ?? [];
}
