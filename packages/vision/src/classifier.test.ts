import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { clearClassifierCache, getClassifier } from './classifier-cache.js';
import { createClassifier, type ClassificationResult, type ClassificationSuccess, type ClassifierInput } from './classifier.js';
import { disposeCachedModels } from './model-cache.js';
import { jpegDeclaring, leftRedRightBlue, noise, scene, truncated } from './test-support/images.js';

const quiet = { model: 'nsfwjs:mobilenet_v2', log: () => {} };

/** Five different pictures in five containers. */
async function pictures(): Promise<{ name: string; bytes: Buffer }[]> {
  return [
    { name: 'scene.jpeg', bytes: await scene(640, 480).jpeg().toBuffer() },
    { name: 'tall-scene.png', bytes: await scene(240, 400).png().toBuffer() },
    { name: 'red-blue.webp', bytes: await leftRedRightBlue(300, 200).webp().toBuffer() },
    { name: 'grey.gif', bytes: await scene(320, 240).greyscale().gif().toBuffer() },
    { name: 'noise.tiff', bytes: await sharp(noise(96 * 96 * 3, 42), { raw: { width: 96, height: 96, channels: 3 } }).tiff().toBuffer() },
  ];
}

function successes(results: ClassificationResult[]): ClassificationSuccess[] {
  return results.map((result, i) => {
    assert.ok(result.ok, `result ${i} failed: ${result.ok ? '' : result.error}`);
    return result;
  });
}

function assertSameClassification(a: ClassificationSuccess[], b: ClassificationSuccess[], tolerance: number): void {
  assert.equal(a.length, b.length);
  a.forEach((left, i) => {
    const right = b[i]!;
    assert.equal(left.top[0]!.label, right.top[0]!.label, `image ${i}: top label`);
    for (const { label, score } of left.top) {
      const other = right.top.find((entry) => entry.label === label)!;
      assert.ok(Math.abs(score - other.score) <= tolerance, `image ${i}, ${label}: ${score} vs ${other.score}`);
    }
  });
}

describe('classifier on nsfwjs MobileNetV2', () => {
  let inputs: { name: string; bytes: Buffer }[];
  before(async () => {
    inputs = await pictures();
  });
  after(async () => {
    clearClassifierCache();
    await disposeCachedModels();
  });

  it('returns, per image and in input order, the top classes from the model label set', async () => {
    const classifier = await createClassifier({ batchSize: 5, ...quiet });
    assert.notEqual(classifier.model.backend, 'cpu');
    const results = successes(await classifier.classify(inputs));
    assert.deepEqual(results.map((r) => r.name), inputs.map((i) => i.name));
    for (const result of results) {
      assert.equal(result.top.length, 5);
      assert.deepEqual([...result.top.map((t) => t.label)].sort(), [...classifier.model.labels].sort());
      for (let i = 1; i < result.top.length; i++) assert.ok(result.top[i - 1]!.score >= result.top[i]!.score);
      const total = result.top.reduce((sum, t) => sum + t.score, 0);
      assert.ok(Math.abs(total - 1) < 1e-4, `scores sum to ${total}`);
    }
  });

  it('gives the same answer on repeated runs and across batch sizes 1 and 5', async () => {
    const byFive = await createClassifier({ batchSize: 5, ...quiet });
    const byOne = await createClassifier({ batchSize: 1, ...quiet });
    assert.equal(byFive.model, byOne.model, 'both use the one loaded model');
    const first = successes(await byFive.classify(inputs));
    const again = successes(await byFive.classify(inputs));
    const single = successes(await byOne.classify(inputs));
    assertSameClassification(first, again, 0);
    assertSameClassification(first, single, 1e-4);
  });

  it('turns undecodable images into error results without disturbing the others', async () => {
    const classifier = await createClassifier({ batchSize: 2, topK: 2, ...quiet });
    const mixed: ClassifierInput[] = [
      inputs[0]!,
      { name: 'empty', bytes: Buffer.alloc(0) },
      inputs[1]!.bytes, // bare buffer: no name in the result
      { name: 'random', bytes: noise(2048) },
      { name: 'truncated', bytes: truncated(inputs[0]!.bytes, 0.5) },
      inputs[2]!,
      { name: 'huge', bytes: await jpegDeclaring(20000, 20000) },
      inputs[3]!,
    ];
    const results = await classifier.classify(mixed);
    assert.equal(results.length, mixed.length);
    assert.deepEqual(
      results.map((r) => (r.ok ? 'ok' : r.kind)),
      ['ok', 'empty', 'ok', 'unsupported_format', 'corrupt', 'ok', 'too_large', 'ok'],
    );
    assert.deepEqual(results[1], { name: 'empty', ok: false, error: 'empty input (0 bytes)', kind: 'empty' });
    assert.equal(results[2]!.name, undefined);
    assert.match((results[6] as { error: string }).error, /^image too large: 20000x20000 exceeds the 100000000-pixel limit$/);

    // The good ones score as they do on their own.
    const alone = successes(await classifier.classify([inputs[0]!, inputs[1]!.bytes, inputs[2]!, inputs[3]!]));
    const mixedGood = successes([results[0]!, results[2]!, results[5]!, results[7]!]);
    assertSameClassification(alone, mixedGood, 1e-4);
    for (const result of mixedGood) assert.equal(result.top.length, 2);
  });

  it('releases every tensor it creates', async () => {
    const classifier = await createClassifier({ batchSize: 3, ...quiet });
    await classifier.classify(inputs.slice(0, 1));
    const before = tf.memory().numTensors;
    await classifier.classify([...inputs, { name: 'bad', bytes: noise(100) }]);
    assert.equal(tf.memory().numTensors, before);
  });

  it('handles an empty list', async () => {
    const classifier = await createClassifier({ ...quiet });
    assert.deepEqual(await classifier.classify([]), []);
  });

  it('rejects bad options', async () => {
    await assert.rejects(createClassifier({ batchSize: 0, ...quiet }), /batchSize must be a positive integer/);
    await assert.rejects(createClassifier({ topK: 1.5, ...quiet }), /topK must be a positive integer/);
  });

  it('getClassifier hands back one classifier per distinct options, ignoring the logger', async () => {
    const a = await getClassifier({ model: 'nsfwjs:mobilenet_v2', batchSize: 4, log: () => {} });
    const b = await getClassifier({ model: 'nsfwjs:mobilenet_v2', batchSize: 4, log: () => {} });
    const c = await getClassifier({ batchSize: 3, ...quiet });
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(a.model, c.model);
  });
});
