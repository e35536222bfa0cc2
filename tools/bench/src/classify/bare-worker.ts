/**
 * One bare classifier process: the same classifier code, model, backend and inference
 * batch size as an executor, with no engine around it.
 *
 *   node --import tsx bare-worker.ts '<settings JSON>' <worker index> <workers>
 *
 * It loads the model, warms it up with one inference batch (the benchmark warms the
 * executors the same way), reads its share of the image sequence (every workers-th
 * image) into memory and prints {"ready":1}. Then, for every line on stdin, it
 * classifies its share in one call (decode + predict in batches) and prints
 * {"images":N,"errors":E,"ms":T}; it exits when stdin closes.
 */
import { createInterface } from 'node:readline';
import { getClassifier } from '@sluice/vision';
import type { ClassifyBenchSettings } from './bench-settings.js';
import { imageSequence, readImageDirectory } from './image-set.js';

const settings = JSON.parse(process.argv[2]!) as ClassifyBenchSettings;
const worker = Number(process.argv[3]);
const workers = Number(process.argv[4]);

const classifier = await getClassifier({
  model: settings.model,
  batchSize: settings.batchSize,
  topK: settings.topK,
  backend: settings.backend,
  // One core per process, as an executor started with one core: native TensorFlow gets
  // one intra-op thread in both (the job passes the executor's cores).
  threads: 1,
  log: () => {},
});
const all = imageSequence(await readImageDirectory(settings.imagesDir), settings.count);
const share = all.filter((_, i) => i % workers === worker);
await classifier.classify(all.slice(0, settings.batchSize));
process.stdout.write(`${JSON.stringify({ ready: 1 })}\n`);

for await (const _go of createInterface({ input: process.stdin })) {
  const started = performance.now();
  const results = await classifier.classify(share);
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ images: results.length, errors: results.filter((r) => !r.ok).length, ms })}\n`);
}
