/**
 * The job module of sluice-classify. The driver and every executor import it and call
 * the default export with the same JSON settings, so they build the same graph:
 *
 *   source -> [repartition] -> classify -> results to the driver as each task finishes
 *                                       (stdout, JSON lines), or to Kafka
 *
 * It also runs on its own: `sluice submit apps/classify/src/job/classify-job.ts '<settings JSON>'`
 * prints JSON lines (see job-settings.ts for the fields).
 */
import type { StreamingContext } from '@sluice/streaming';
import { classify } from '@sluice/vision/stream';
import { driverSide } from './driver-side.js';
import { openImageSource } from './image-sources.js';
import { classifierOptionsOf } from './classifier-options.js';
import { decodeJobSettings } from './job-settings.js';

export default async function classifyJob(ssc: StreamingContext, args: string[]): Promise<void> {
  const settings = decodeJobSettings(args);
  if (ssc.mode === 'driver') driverSide().contextCreated(ssc);
  const source = await openImageSource(ssc, settings.source);
  // Blocks (one per block interval) are partitions: spreading each batch evenly over
  // `partitions` keeps every executor core busy however the images arrived. An empty
  // batch is left alone, so a quiet stream costs no shuffle.
  const images =
    settings.partitions > 0
      ? source.images.transform((rdd) => (rdd.numPartitions === 0 ? rdd : rdd.repartition(settings.partitions)))
      : source.images;
  const results = classify(images, { ...classifierOptionsOf(settings), sentAt: (image) => image.sentAt });

  if (settings.output.kind === 'kafka') {
    const { writeResultsToKafka } = await import('./kafka-output.js');
    await writeResultsToKafka(results, settings.output, source.kafkaStream);
    const { countOf } = source;
    // Runs no task: it only reads the batch's offsets, for the progress line and summary.
    if (countOf) results.foreachRDD((rdd, time) => driverSide().batchCounted(time, countOf(rdd)));
    return;
  }
  // Each partition's results are written as soon as its task finishes, not when the
  // whole batch is done: the first results of a large batch come after one task's share.
  results.foreachRDD(async (rdd, time) => {
    let allWritten = true;
    // One partition at a time through the writer, in the order tasks finish.
    let written = Promise.resolve();
    await rdd.collectPartitions((classified) => {
      written = written.then(async () => {
        if (!(await driverSide().results(time, classified))) allWritten = false;
      });
      return written;
    });
    if (allWritten) source.afterOutput?.(rdd);
  });
}
