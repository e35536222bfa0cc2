import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as nsfwjs from 'nsfwjs';
import { selectBackend } from './backend.js';
import { batchTensor } from './batch-tensor.js';
import { decodeImage } from './decode.js';
import { loadModel, type LoadedModel } from './model.js';
import { disposeCachedModels, getModel } from './model-cache.js';
import { parseModelSpec } from './model-spec.js';
import { NSFWJS_LABELS } from './nsfwjs-models.js';
import { scene } from './test-support/images.js';
import { TINY_SIZE, writeGraphModel, writeLayersModel } from './test-support/models.js';

const quiet = { log: () => {} };

async function scores(model: LoadedModel, batch: tf.Tensor4D): Promise<number[]> {
  const output = model.predict(batch);
  const values = Array.from(await output.data());
  output.dispose();
  return values;
}

function solidBatch(rgb: [number, number, number], size = TINY_SIZE): tf.Tensor4D {
  const values = new Float32Array(size * size * 3).map((_, i) => rgb[i % 3]!);
  return tf.tensor4d(values, [1, size, size, 3]);
}

describe('nsfwjs models', () => {
  let model: LoadedModel;
  before(async () => {
    model = await loadModel('nsfwjs:mobilenet_v2', quiet);
  });
  after(() => model.dispose());

  it('loads MobileNetV2 from node_modules with its input size, labels and backend', () => {
    assert.equal(model.name, 'nsfwjs:mobilenet_v2');
    assert.equal(model.kind, 'layers');
    assert.deepEqual(model.inputSize, { width: 224, height: 224 });
    assert.deepEqual(model.labels, ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']);
    assert.equal(model.backend, tf.getBackend());
    assert.notEqual(model.backend, 'cpu');
    assert.equal(model.config.scale, 1 / 255);
  });

  it('gives exactly what nsfwjs itself gives for the same pixels', async () => {
    const image = await decodeImage(await scene(500, 375).jpeg().toBuffer(), model.inputSize);
    const info = console.info;
    console.info = () => {}; // nsfwjs announces which model it loads
    const reference = await nsfwjs.load('MobileNetV2').finally(() => (console.info = info));
    try {
      const pixels = tf.tensor3d(new Int32Array(image.data), [224, 224, 3], 'int32');
      const expected = await reference.classify(pixels, 5);
      pixels.dispose();
      const batch = batchTensor([image], model.inputSize, model.config);
      const actual = await scores(model, batch);
      batch.dispose();
      for (const { className, probability } of expected) {
        const ours = actual[model.labels.indexOf(className)]!;
        assert.ok(Math.abs(ours - probability) < 1e-5, `${className}: nsfwjs ${probability}, here ${ours}`);
      }
    } finally {
      reference.dispose();
    }
  });

  it('loads the graph-model variant MobileNetV2-mid', async () => {
    const mid = await loadModel('nsfwjs:mobilenet_v2_mid', quiet);
    try {
      assert.equal(mid.kind, 'graph');
      assert.deepEqual(mid.inputSize, { width: 224, height: 224 });
      assert.deepEqual(mid.labels, NSFWJS_LABELS);
      const probabilities = await scores(mid, tf.zeros<tf.Rank.R4>([2, 224, 224, 3]));
      assert.equal(probabilities.length, 10);
    } finally {
      mid.dispose();
    }
  });

  it('names the choices when the nsfwjs model is unknown', () => {
    assert.throws(() => parseModelSpec('nsfwjs:resnet'), /nsfwjs:mobilenet_v2, nsfwjs:mobilenet_v2_mid, nsfwjs:inception_v3/);
  });
});

describe('models in a directory', () => {
  let root: string;
  before(async () => {
    await selectBackend(quiet); // before building test models, so they live on the same backend
    root = await mkdtemp(join(tmpdir(), 'vision-models-'));
  });
  after(async () => {
    await disposeCachedModels();
    await rm(root, { recursive: true, force: true });
  });

  it('loads a layers model with labels.txt and matches the model it was saved from', async () => {
    const directory = join(root, 'layers');
    const original = await writeLayersModel(directory);
    await writeFile(join(directory, 'labels.txt'), 'red\ngreen\nblue\n');
    const loaded = await loadModel(directory, quiet);
    try {
      assert.equal(loaded.kind, 'layers');
      assert.deepEqual(loaded.inputSize, { width: TINY_SIZE, height: TINY_SIZE });
      assert.deepEqual(loaded.labels, ['red', 'green', 'blue']);
      assert.equal(loaded.name, directory);
      const input = solidBatch([0.2, 0.5, 0.9]);
      const expected = tf.tidy(() => original.predict(input) as tf.Tensor);
      assert.deepEqual(await scores(loaded, input), Array.from(await expected.data()));
      expected.dispose();
      input.dispose();
    } finally {
      loaded.dispose();
      original.dispose();
    }
  });

  it('loads a graph model with labels.json, from a file:// URL to model.json', async () => {
    const directory = join(root, 'graph');
    await writeGraphModel(directory);
    await writeFile(join(directory, 'labels.json'), JSON.stringify({ 0: 'red', 1: 'green', 2: 'blue' }));
    const loaded = await loadModel(pathToFileURL(join(directory, 'model.json')).href, quiet);
    try {
      assert.equal(loaded.kind, 'graph');
      assert.deepEqual(loaded.inputSize, { width: TINY_SIZE, height: TINY_SIZE });
      const blue = await scores(loaded, solidBatch([0.1, 0.1, 0.9]));
      assert.equal(loaded.labels[blue.indexOf(Math.max(...blue))], 'blue');
    } finally {
      loaded.dispose();
    }
  });

  it('applies a softmax when model-config.json says the outputs are logits', async () => {
    const directory = join(root, 'logits');
    const original = await writeLayersModel(directory, { activation: 'linear' });
    original.dispose();
    await writeFile(join(directory, 'labels.json'), JSON.stringify(['a', 'b', 'c']));
    await writeFile(join(directory, 'model-config.json'), JSON.stringify({ output: 'logits', scale: 2 / 255, offset: -1 }));
    const loaded = await loadModel(directory, quiet);
    try {
      assert.equal(loaded.config.output, 'logits');
      assert.equal(loaded.config.offset, -1);
      const probabilities = await scores(loaded, solidBatch([3, -2, 1]));
      assert.ok(probabilities.every((p) => p > 0 && p < 1));
      assert.ok(Math.abs(probabilities.reduce((a, b) => a + b) - 1) < 1e-5);
    } finally {
      loaded.dispose();
    }
  });

  it('refuses a directory without labels, or with the wrong number of them', async () => {
    const directory = join(root, 'unlabelled');
    (await writeLayersModel(directory)).dispose();
    await assert.rejects(loadModel(directory, quiet), /no labels file in .*expected labels.json or labels.txt/);
    await writeFile(join(directory, 'labels.txt'), 'only\ntwo\n');
    await assert.rejects(loadModel(directory, quiet), /has 3 outputs but its labels list 2 classes/);
  });

  it('refuses weight paths that leave the model directory', async () => {
    const directory = join(root, 'escaping');
    await writeGraphModel(directory);
    await writeFile(join(directory, 'labels.txt'), 'r\ng\nb');
    const modelJsonPath = join(directory, 'model.json');
    const modelJson = JSON.parse(await readFile(modelJsonPath, 'utf8'));
    modelJson.weightsManifest[0].paths = ['../../etc/passwd'];
    await writeFile(modelJsonPath, JSON.stringify(modelJson));
    await assert.rejects(loadModel(directory, quiet), /points outside the model directory/);
  });

  it('says which file is missing for a wrong path', async () => {
    await assert.rejects(loadModel(join(root, 'nowhere'), quiet), /cannot read TF\.js model at .*nowhere\/model\.json/);
  });

  it('shares one loaded copy per model across spellings of its path', async () => {
    const directory = join(root, 'shared');
    (await writeLayersModel(directory)).dispose();
    await writeFile(join(directory, 'labels.txt'), 'r\ng\nb');
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const first = await getModel(directory, { log });
    assert.equal(await getModel(relative(process.cwd(), directory), { log }), first);
    assert.equal(await getModel(join(directory, 'model.json'), { log }), first);
    assert.equal(lines.filter((line) => line.includes('loaded')).length, 1);
  });
});
