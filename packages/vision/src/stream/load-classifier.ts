import type { Classifier, ClassifierOptions } from '../classifier.js';

/**
 * The process-wide classifier, its module imported on first use (executors only).
 *
 * Loading it runs the model once on one image (the model's own warm-up). A further
 * warm-up at the full inference batch size was measured and left out: the first predict
 * at a new batch shape costs about 30 % more than later ones (140 ms at 8 images on wasm),
 * while running a whole batch of 8 in advance costs 630 ms, which delays the first result
 * whenever images are already waiting.
 */
export async function loadClassifier(options: ClassifierOptions): Promise<Classifier> {
  const { getClassifier } = await import('../classifier-cache.js');
  return getClassifier(options);
}
