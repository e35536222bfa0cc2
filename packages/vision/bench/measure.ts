/**
 * Throughput and start-up figures for this machine.
 *
 *   node --import tsx packages/vision/bench/measure.ts <directory of images> [model spec]
 *
 * Prints: decode+resize rate on one libvips thread, bare model.predict rate at
 * several batch sizes (input already decoded), end-to-end classify rate, and model
 * load time. Time to first prediction is measured by first-prediction.ts, which must
 * run in a fresh process.
 */
import * as tf from '@tensorflow/tfjs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createClassifier, decodeImage, loadModel, type DecodedImage } from '../src/index.js';
import { batchTensor } from '../src/batch-tensor.js';

const directory = process.argv[2];
if (!directory) throw new Error('usage: measure.ts <directory of images> [model spec]');
const spec = process.argv[3] ?? 'nsfwjs:mobilenet_v2';
const images = readdirSync(directory).sort().map((name) => readFileSync(join(directory, name)));
const rate = (count: number, ms: number) => `${((count * 1000) / ms).toFixed(1)} img/s (${(ms / count).toFixed(2)} ms/img)`;

const sizes = await Promise.all(images.map((bytes) => sharp(bytes).metadata()));
const megapixels = sizes.reduce((sum, m) => sum + (m.width ?? 0) * (m.height ?? 0), 0) / sizes.length / 1e6;
console.log(`${images.length} images, mean ${megapixels.toFixed(2)} MP, mean ${(images.reduce((s, b) => s + b.length, 0) / images.length / 1024).toFixed(0)} KiB`);

const model = await loadModel(spec, { log: (line) => console.log(line) });
const size = model.inputSize;

// Decode + resize, one image at a time, one libvips thread (the library default).
let decoded: DecodedImage[] = [];
for (let pass = 0; pass < 4; pass++) {
  const started = performance.now();
  decoded = [];
  for (const bytes of images) decoded.push(await decodeImage(bytes, { ...size, fit: model.config.fit }));
  if (pass > 0) console.log(`decode+resize to ${size.width}x${size.height}, pass ${pass}: ${rate(images.length, performance.now() - started)}`);
}

// Bare predict: normalised tensor in, probabilities read back.
for (const batchSize of [1, 5, 10, 20]) {
  const input = batchTensor(decoded.slice(0, batchSize), size, model.config);
  for (let i = 0; i < 2; i++) { const out = model.predict(input); await out.data(); out.dispose(); }
  const rounds = Math.max(3, Math.ceil(60 / batchSize));
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    const out = model.predict(input);
    await out.data();
    out.dispose();
  }
  console.log(`predict batch ${String(batchSize).padStart(2)}: ${rate(rounds * batchSize, performance.now() - started)}`);
  input.dispose();
}

// End to end: bytes in, top-5 out.
for (const batchSize of [1, 10]) {
  const classifier = await createClassifier({ model, batchSize });
  await classifier.classify(images.slice(0, batchSize));
  const started = performance.now();
  const results = await classifier.classify(images);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`classify (decode + predict) batch ${batchSize}: ${rate(images.length, performance.now() - started)}${failed ? `, ${failed} failed` : ''}`);
}
console.log(`tensors still allocated: ${tf.memory().numTensors}`);
