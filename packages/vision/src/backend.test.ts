import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { activeBackend, selectBackend, wasmBinaryDirectory } from './backend.js';

// TensorFlow.js keeps one backend per process and node:test runs each test file in a
// process of its own, so these tests run in order and build on one another.
describe('selectBackend', () => {
  const nativeInstalled = canResolve('@tensorflow/tfjs-node');

  it('finds the wasm binaries as a directory path ending in a separator', () => {
    const directory = wasmBinaryDirectory();
    assert.ok(directory.endsWith(sep), directory);
    assert.ok(existsSync(`${directory}tfjs-backend-wasm-simd.wasm`));
  });

  it('refuses an explicit tensorflow request clearly when tfjs-node is missing', { skip: nativeInstalled }, async () => {
    await assert.rejects(selectBackend({ backend: 'tensorflow', log: () => {} }), /backend 'tensorflow' was requested but @tensorflow\/tfjs-node is not installed/);
    assert.equal(activeBackend(), undefined);
  });

  it("'auto' picks a fast backend, never cpu, and says which in one line", async () => {
    const lines: string[] = [];
    const info = await selectBackend({ log: (line) => lines.push(line) });
    assert.equal(info.name, nativeInstalled ? 'tensorflow' : 'wasm');
    assert.notEqual(tf.getBackend(), 'cpu');
    assert.equal(tf.getBackend(), info.name);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, new RegExp(`backend ${info.name}`));
    if (info.name === 'wasm') assert.match(lines[0]!, /wasm \(SIMD, 1 thread\)/);
  });

  it('answers later calls from the first choice without logging again', async () => {
    const lines: string[] = [];
    const first = activeBackend();
    assert.equal(await selectBackend({ log: (line) => lines.push(line) }), first);
    assert.equal(await selectBackend({ backend: first!.name, log: (line) => lines.push(line) }), first);
    assert.deepEqual(lines, []);
  });

  it('refuses to switch to another backend once one is chosen', async () => {
    await assert.rejects(selectBackend({ backend: 'cpu' }), /already '(wasm|tensorflow)'.*cannot switch to 'cpu'/);
    assert.notEqual(tf.getBackend(), 'cpu');
  });

  it('computes on the chosen backend', async () => {
    const product = tf.tidy(() => tf.tensor1d([1, 2, 3]).mul(2));
    assert.deepEqual(Array.from(await product.data()), [2, 4, 6]);
    product.dispose();
  });
});

function canResolve(specifier: string): boolean {
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}
