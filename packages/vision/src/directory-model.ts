import { tf } from './tfjs.js';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { readLabels, readWnids } from './labels.js';
import { readModelConfig, type ModelConfig } from './model-config.js';
import { memoryHandler, modelKindOf, toArrayBuffer, type ModelKind } from './model-artifacts.js';

export interface DirectoryModelSource {
  directory: string;
  kind: ModelKind;
  handler: tf.io.IOHandler;
  labels: string[];
  /** From an optional wnids.txt (one WordNet id per line, in output order). */
  wnids?: string[];
  config: ModelConfig;
}

/**
 * Reads a TF.js model saved as files: model.json, the weight shards it lists, a labels
 * file, and optionally model-config.json. tf.io.fileSystem only exists in
 * @tensorflow/tfjs-node, so the files are read here with fs and handed to TF.js as
 * in-memory artifacts.
 */
export async function readDirectoryModel(directory: string): Promise<DirectoryModelSource> {
  const root = resolve(directory);
  const modelJsonPath = join(root, 'model.json');
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(await readFile(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
  } catch (error) {
    throw new Error(`cannot read TF.js model at ${modelJsonPath}: ${(error as Error).message}`, { cause: error });
  }
  if (!modelJson.modelTopology) throw new Error(`${modelJsonPath} has no modelTopology`);

  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      for (const shard of group.paths) buffers.push(toArrayBuffer(await readFile(shardPath(root, shard))));
      specs.push(...group.weights);
    }
    return [specs, buffers];
  });

  const [labels, wnids, config] = await Promise.all([readLabels(root), readWnids(root), readModelConfig(root)]);
  if (wnids && wnids.length !== labels.length) {
    throw new Error(`${join(root, 'wnids.txt')} lists ${wnids.length} WordNet ids but the labels file lists ${labels.length} classes`);
  }
  return { directory: root, kind: modelKindOf(modelJson), handler: memoryHandler(artifacts), labels, ...(wnids ? { wnids } : {}), config };
}

/** Weight shard paths come from the model file; keep them inside the model directory. */
function shardPath(root: string, shard: string): string {
  const path = resolve(root, shard);
  const fromRoot = relative(root, path);
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
    throw new Error(`weight shard path ${JSON.stringify(shard)} points outside the model directory ${root}`);
  }
  return path;
}
