import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamingContext } from '@sluice/streaming';
import { classify, isClassifierUnavailable } from './index.js';

// Graph building only: running the operator needs executors (see e2e/src/classify.test.ts).
describe('classify() on a DStream', () => {
  const images = () => new StreamingContext({ batchDuration: 1000 }).queueStream<Buffer>([]);

  it('refuses a bad model or batch size where the graph is built, not in every task', () => {
    assert.throws(() => classify(images(), { model: 'nsfwjs:resnet' }), /unknown nsfwjs model "resnet"/);
    assert.throws(() => classify(images(), { batchSize: 0 }), /classify\(\): batchSize must be a positive integer, got 0/);
    assert.throws(() => classify(images(), { topK: 1.5 }), /classify\(\): topK must be a positive integer, got 1.5/);
  });

  it('derives a new stream from its input', () => {
    const source = images();
    const classified = classify(source, { batchSize: 4 });
    assert.notEqual(classified, source);
    assert.equal(classified.dependencies[0], source);
  });

  it('recognises a classifier that could not be loaded from the task failure message', () => {
    assert.ok(isClassifierUnavailable('ClassifierUnavailableError: the classifier could not be loaded on the executor (x): no'));
    assert.ok(!isClassifierUnavailable('TypeError: something else'));
  });
});
