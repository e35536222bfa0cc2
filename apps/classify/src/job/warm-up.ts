/**
 * The executors' warm-up for the classify job (sluice-classify passes it to submit as
 * `executorWarmUp`): each task thread imports TensorFlow.js and loads and warms up the
 * model as soon as it starts, while the driver is still starting, so that the job's
 * classify() finds the model ready. Takes the job's own arguments.
 */
import { warmUpClassify } from '@sluice/vision/stream';
import { classifierOptionsOf } from './classifier-options.js';
import { decodeJobSettings } from './job-settings.js';

export async function warmUp(args: string[]): Promise<void> {
  await warmUpClassify(classifierOptionsOf(decodeJobSettings(args)));
}
