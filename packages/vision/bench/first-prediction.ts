/**
 * Time from process start to the first classification of one image, in a fresh
 * process: module loading, backend start, model load with warm-up, decode, predict.
 *
 *   node --import tsx packages/vision/bench/first-prediction.ts <image file> [model spec]
 */
import { readFileSync } from 'node:fs';

const mark = (label: string) => console.log(`${label.padEnd(28)} ${performance.now().toFixed(0).padStart(6)} ms since process start`);
mark('script running');
const file = process.argv[2];
if (!file) throw new Error('usage: first-prediction.ts <image file> [model spec]');
const vision = await import('../src/index.js');
mark('modules imported');
const backend = await vision.selectBackend({ log: () => {} });
mark(`backend ${backend.name} ready`);
const classifier = await vision.getClassifier({ model: process.argv[3] ?? 'nsfwjs:mobilenet_v2', log: () => {} });
mark('model loaded and warm');
const [result] = await classifier.classify([readFileSync(file)]);
mark(`first result (${result?.ok ? result.top[0]!.label : 'failed'})`);
const [second] = await classifier.classify([readFileSync(file)]);
const before = performance.now();
await classifier.classify([readFileSync(file)]);
console.log(`a later single image takes ${(performance.now() - before).toFixed(0)} ms (${second?.ok ? 'ok' : 'failed'})`);
