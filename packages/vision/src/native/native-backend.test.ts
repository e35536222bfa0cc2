/**
 * The native TensorFlow backend, when `npm run native` has built it on this machine
 * (skipped otherwise, saying so): it loads, honours the thread count, and gives the
 * default ImageNet model's answers on a real photo, matching the wasm backend's.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { tfjsNodeBindingBuilt } from './tfjs-node-binding.js';

const built = tfjsNodeBindingBuilt();

/** Classifies scikit-image's coffee photo in a fresh process on one backend; prints JSON. */
function classifyCoffee(backend: 'tensorflow' | 'wasm', threads: number): { backend: string; top: { wnid: string; score: number }[] } {
  const index = new URL('../index.ts', import.meta.url).href;
  const script = `
    const vision = await import(${JSON.stringify(index)});
    const lines = [];
    const log = (line) => lines.push(line);
    const [coffee] = await vision.samplePhotos(['coffee.png'], log);
    const classifier = await vision.createClassifier({ backend: ${JSON.stringify(backend)}, threads: ${threads}, topK: 3, log });
    const [result] = await classifier.classify([coffee.bytes]);
    console.log(JSON.stringify({ backend: lines.find((l) => l.includes('backend')), top: result.top }));
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as { backend: string; top: { wnid: string; score: number }[] };
}

describe('native TensorFlow backend', { skip: built ? false : 'not built on this machine (npm run native)' }, () => {
  it('runs the default model with the thread count it is given, and agrees with wasm', () => {
    const native = classifyCoffee('tensorflow', 1);
    assert.match(native.backend, /backend tensorflow \(native libtensorflow via @tensorflow\/tfjs-node, 1 thread\)/);
    assert.equal(native.top[0]!.wnid, 'n07920052', JSON.stringify(native.top));
    const wasm = classifyCoffee('wasm', 1);
    assert.deepEqual(native.top.map((t) => t.wnid), wasm.top.map((t) => t.wnid));
    native.top.forEach((t, i) => assert.ok(Math.abs(t.score - wasm.top[i]!.score) < 1e-3, `${t.score} vs ${wasm.top[i]!.score}`));
  });
});
