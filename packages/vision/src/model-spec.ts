import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNsfwjsModelName, NSFWJS_MODEL_NAMES, type NsfwjsModelName } from './nsfwjs-models.js';

/** The model used when none is named: nsfwjs's MobileNetV2 (224x224, 5 classes). */
export const DEFAULT_MODEL_SPEC = 'nsfwjs:mobilenet_v2';

/**
 * Where a model comes from, parsed from a spec string:
 * - "nsfwjs:mobilenet_v2" | "nsfwjs:mobilenet_v2_mid" | "nsfwjs:inception_v3"
 * - a directory holding model.json (relative paths are taken from the working
 *   directory), the model.json file itself, or a file:// URL to either.
 */
export type ModelSource =
  | { type: 'nsfwjs'; name: NsfwjsModelName; id: string }
  | { type: 'directory'; directory: string; id: string };

export function parseModelSpec(spec: string): ModelSource {
  const trimmed = spec.trim();
  if (trimmed === '') throw new Error('model spec is empty');
  if (trimmed.startsWith('nsfwjs:')) {
    const name = trimmed.slice('nsfwjs:'.length);
    if (!isNsfwjsModelName(name)) {
      throw new Error(`unknown nsfwjs model ${JSON.stringify(name)}; choose one of ${NSFWJS_MODEL_NAMES.map((n) => `nsfwjs:${n}`).join(', ')}`);
    }
    return { type: 'nsfwjs', name, id: `nsfwjs:${name}` };
  }
  let path = trimmed.startsWith('file://') ? fileURLToPath(trimmed) : trimmed;
  path = resolve(path);
  if (basename(path) === 'model.json') path = dirname(path);
  return { type: 'directory', directory: path, id: path };
}
