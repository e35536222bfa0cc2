import type { LayoutResult } from '../cores-bench.js';
import type { ClassifyBenchSettings } from './bench-settings.js';
import { EngineRun } from './engine-run.js';
import { imageSequence, readImageDirectory } from './image-set.js';

export interface CoresClassifyOptions {
  imagesDir: string;
  count: number;
  batchSize: number;
  backend: ClassifyBenchSettings['backend'];
}

/**
 * The classify half of the cores benchmark: for each layout in `order`, the
 * sluice-classify job on 2 executors x 1 core or 1 executor x 2 cores (one classifier
 * per task thread), warmed up, then `count` images sent as fast as they are read and
 * timed from the first batch holding one to the last result (EngineRun.round).
 */
export async function coresClassify(order: ('2x1' | '1x2')[], options: CoresClassifyOptions): Promise<LayoutResult[]> {
  const library = await readImageDirectory(options.imagesDir);
  const images = imageSequence(library, options.count);
  const results: LayoutResult[] = [];
  for (const layout of order) {
    const settings: ClassifyBenchSettings = {
      executors: layout === '2x1' ? 2 : 1,
      executorCores: layout === '2x1' ? 1 : 2,
      batchSize: options.batchSize,
      imagesDir: options.imagesDir,
      count: options.count,
      model: 'imagenet:efficientnet-lite0',
      backend: options.backend,
      topK: 3,
      batchDuration: '1s',
      blockInterval: '200ms',
      rate: 0,
    };
    // Warm-up: two inference batches per task thread, so every thread has its model loaded.
    const engine = await EngineRun.start(settings, imageSequence(library, 4 * options.batchSize));
    try {
      const round = await engine.round(images, 0);
      process.stderr.write(`cores bench: ${layout} classify ${round.images} images in ${round.seconds.toFixed(2)} s\n`);
      results.push({ layout, units: round.images, seconds: round.seconds });
    } finally {
      await engine.stop();
    }
  }
  return results;
}
