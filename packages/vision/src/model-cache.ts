import { loadModel, type LoadedModel, type LoadModelOptions } from './model.js';
import { DEFAULT_MODEL_SPEC, parseModelSpec } from './model-spec.js';

// One copy of each model per process: weights are tens of megabytes and loading
// takes most of a second, while every task in an executor wants the same model.
const models = new Map<string, Promise<LoadedModel>>();

/**
 * The process-wide copy of a model, loaded on first use. Specs naming the same model
 * ("./m", "/abs/m", "/abs/m/model.json") share one copy. A failed load is not
 * remembered, so a later call tries again.
 */
export function getModel(spec: string = DEFAULT_MODEL_SPEC, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const { id } = parseModelSpec(spec);
  let model = models.get(id);
  if (!model) {
    model = loadModel(id, options);
    models.set(id, model);
    model.catch(() => {
      if (models.get(id) === model) models.delete(id);
    });
  }
  const wanted = options.backend ?? 'auto';
  if (wanted === 'auto') return model;
  return model.then((loaded) => {
    if (loaded.backend !== wanted) {
      throw new Error(`model ${id} is already loaded on the '${loaded.backend}' backend, not '${wanted}'`);
    }
    return loaded;
  });
}

/** Disposes every cached model (for shutdown and tests). */
export async function disposeCachedModels(): Promise<void> {
  const loading = [...models.values()];
  models.clear();
  for (const settled of await Promise.allSettled(loading)) {
    if (settled.status === 'fulfilled') settled.value.dispose();
  }
}
