import type { StreamClassifyOptions } from '@sluice/vision/stream';
import type { ClassifyJobSettings } from './job-settings.js';

/**
 * The classifier the job's classify() runs, from its settings. The executors' warm-up
 * (warm-up.ts) loads the same one: equal options share the process-wide model.
 */
export function classifierOptionsOf(settings: ClassifyJobSettings): Omit<StreamClassifyOptions<unknown>, 'image' | 'sentAt'> {
  return {
    model: settings.model,
    batchSize: settings.batchSize,
    topK: settings.topK,
    backend: settings.backend,
    // One TensorFlow thread per task: an executor runs one task per core, each in a task
    // thread of its own.
    threads: 1,
  };
}
