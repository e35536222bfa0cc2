import type * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { ModelConfig } from './model-config.js';
import { memoryHandler, modelKindOf, type ModelKind } from './model-artifacts.js';

/**
 * The three classifiers that ship inside the nsfwjs package, loaded from
 * node_modules without touching the network.
 *
 * nsfwjs embeds each model as browserify (UMD) modules in dist/models/<name>/:
 * model.min.js exports the model.json object, and group1-shardNofM.min.js exports
 * that weight shard as a base64 string. We require those files directly (the
 * package's "exports" map does not list them, so by absolute path) rather than
 * going through nsfwjs's load(), which decodes base64 one character at a time and
 * needs its own `buffer` polyfill.
 */
export const NSFWJS_MODEL_NAMES = ['mobilenet_v2', 'mobilenet_v2_mid', 'inception_v3'] as const;
export type NsfwjsModelName = (typeof NSFWJS_MODEL_NAMES)[number];

/** nsfwjs's NSFW_CLASSES, in output order. */
export const NSFWJS_LABELS: readonly string[] = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];

/**
 * nsfwjs feeds every model RGB / 255 (tf.div by 255) and resizes the whole frame to
 * the square input without cropping, so the same here.
 */
const NSFWJS_CONFIG: ModelConfig = { scale: 1 / 255, offset: 0, fit: 'fill', output: 'probabilities' };

export interface NsfwjsModelSource {
  kind: ModelKind;
  handler: tf.io.IOHandler;
  labels: string[];
  config: ModelConfig;
}

export function isNsfwjsModelName(name: string): name is NsfwjsModelName {
  return (NSFWJS_MODEL_NAMES as readonly string[]).includes(name);
}

export function readNsfwjsModel(name: NsfwjsModelName): NsfwjsModelSource {
  const directory = join(nsfwjsModelsDirectory(), name);
  const modelJson = requireOnce(join(directory, 'model.min.js')) as tf.io.ModelJSON;
  if (!modelJson?.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new Error(`${join(directory, 'model.min.js')} does not export a TF.js model.json object`);
  }
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const weightData: ArrayBuffer[] = [];
  for (const group of modelJson.weightsManifest) {
    for (const shard of group.paths) {
      const base64 = requireOnce(join(directory, `${shard}.min.js`));
      if (typeof base64 !== 'string') throw new Error(`${join(directory, `${shard}.min.js`)} does not export base64 weights`);
      const bytes = Buffer.from(base64, 'base64');
      weightData.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    }
    weightSpecs.push(...group.weights);
  }
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: modelJson.modelTopology,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
    signature: modelJson.signature,
    userDefinedMetadata: modelJson.userDefinedMetadata,
    weightSpecs,
    weightData,
  };
  return { kind: modelKindOf(modelJson), handler: memoryHandler(artifacts), labels: [...NSFWJS_LABELS], config: { ...NSFWJS_CONFIG } };
}

function nsfwjsModelsDirectory(): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('nsfwjs'); // <package>/dist/cjs/index.js
  } catch (error) {
    throw new Error('the nsfwjs package is not installed, so nsfwjs:* models are unavailable', { cause: error });
  }
  const directory = resolve(dirname(entry), '..', 'models');
  if (!existsSync(directory)) throw new Error(`nsfwjs is installed but has no bundled models at ${directory}`);
  return directory;
}

/**
 * Evaluates one of the bundled modules and drops it from the require cache again, so
 * the multi-megabyte base64 strings can be garbage-collected once the weights are
 * decoded instead of staying referenced for the life of the process.
 */
function requireOnce(path: string): unknown {
  const require = createRequire(import.meta.url);
  const cacheKey = require.resolve(path); // the real path, should node_modules be symlinked
  try {
    return require(cacheKey) as unknown;
  } finally {
    delete require.cache[cacheKey];
  }
}
