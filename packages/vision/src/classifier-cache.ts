import { createClassifier, DEFAULT_BATCH_SIZE, DEFAULT_TOP_K, type Classifier, type ClassifierOptions } from './classifier.js';
import type { LoadedModel } from './model.js';
import { DEFAULT_MODEL_SPEC, parseModelSpec } from './model-spec.js';

const classifiers = new Map<string, Promise<Classifier>>();
const loadedModelIds = new WeakMap<LoadedModel, number>();
let nextLoadedModelId = 1;

/**
 * The process-wide classifier for these options, created on first use; tasks in an
 * executor call this per batch and get the same warmed-up model each time. Options
 * that differ only in `log` share an entry. A failed creation is not remembered.
 */
export function getClassifier(options: ClassifierOptions = {}): Promise<Classifier> {
  const key = classifierKey(options);
  let classifier = classifiers.get(key);
  if (!classifier) {
    classifier = createClassifier(options);
    classifiers.set(key, classifier);
    classifier.catch(() => {
      if (classifiers.get(key) === classifier) classifiers.delete(key);
    });
  }
  return classifier;
}

/** Forgets cached classifiers (their models stay cached; see disposeCachedModels). */
export function clearClassifierCache(): void {
  classifiers.clear();
}

/** Options with defaults filled in and the model reduced to an identity, as stable JSON. */
export function classifierKey(options: ClassifierOptions): string {
  const decode = options.decode ?? {};
  return JSON.stringify({
    model: modelIdentity(options.model),
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    topK: options.topK ?? DEFAULT_TOP_K,
    backend: options.backend ?? 'auto',
    threads: options.threads ?? null,
    decode: {
      fit: decode.fit ?? null,
      maxInputPixels: decode.maxInputPixels ?? null,
      failOn: decode.failOn ?? null,
      background: decode.background ? [decode.background.r, decode.background.g, decode.background.b] : null,
    },
  });
}

function modelIdentity(model: string | LoadedModel | undefined): string {
  if (typeof model === 'object') {
    let id = loadedModelIds.get(model);
    if (id === undefined) loadedModelIds.set(model, (id = nextLoadedModelId++));
    return `loaded#${id}:${model.name}`;
  }
  return parseModelSpec(model ?? DEFAULT_MODEL_SPEC).id;
}
