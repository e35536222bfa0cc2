import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJsonLabels, parseTextLabels } from './labels.js';
import { DEFAULT_MODEL_CONFIG, parseModelConfig } from './model-config.js';
import { parseModelSpec } from './model-spec.js';
import { topK } from './top-k.js';

describe('labels files', () => {
  it('reads an array, an index object, or one label per line', () => {
    assert.deepEqual(parseJsonLabels('["cat","dog"]', 'x'), ['cat', 'dog']);
    assert.deepEqual(parseJsonLabels('{"1":"dog","0":"cat"}', 'x'), ['cat', 'dog']);
    assert.deepEqual(parseTextLabels('cat\r\ndog\n\n', 'x'), ['cat', 'dog']);
  });

  it('refuses gaps, non-strings and empty lists', () => {
    assert.throws(() => parseJsonLabels('{"0":"cat","2":"dog"}', 'labels.json'), /no gaps/);
    assert.throws(() => parseJsonLabels('["cat", 3]', 'labels.json'), /must be a string/);
    assert.throws(() => parseJsonLabels('[]', 'labels.json'), /lists no labels/);
    assert.throws(() => parseTextLabels('\n\n', 'labels.txt'), /lists no labels/);
  });
});

describe('model-config.json', () => {
  it('fills in defaults and validates fields', () => {
    assert.deepEqual(parseModelConfig({}, 'x'), DEFAULT_MODEL_CONFIG);
    assert.deepEqual(parseModelConfig({ fit: 'cover', inputSize: 192 }, 'x').inputSize, { width: 192, height: 192 });
    assert.throws(() => parseModelConfig({ fit: 'stretch' }, 'x'), /"fit" must be/);
    assert.throws(() => parseModelConfig({ scale: '1/255' }, 'x'), /"scale" must be a finite number/);
    assert.throws(() => parseModelConfig([], 'x'), /expected a JSON object/);
  });
});

describe('model specs', () => {
  it('tells nsfwjs names from directories', () => {
    assert.deepEqual(parseModelSpec('nsfwjs:inception_v3'), { type: 'nsfwjs', name: 'inception_v3', id: 'nsfwjs:inception_v3' });
    assert.deepEqual(parseModelSpec('/models/cats/model.json'), { type: 'directory', directory: '/models/cats', id: '/models/cats' });
    assert.deepEqual(parseModelSpec('file:///models/cats'), { type: 'directory', directory: '/models/cats', id: '/models/cats' });
    assert.throws(() => parseModelSpec('  '), /empty/);
  });
});

describe('topK', () => {
  it('orders best first, keeps output order on ties, and caps k at the class count', () => {
    const scores = [0.1, 0.4, 0.4, 0.1, /* row 1 */ 0.7, 0.1, 0.1, 0.1];
    assert.deepEqual(topK(scores, 0, ['a', 'b', 'c', 'd'], 3), [
      { label: 'b', score: 0.4 },
      { label: 'c', score: 0.4 },
      { label: 'a', score: 0.1 },
    ]);
    assert.equal(topK(scores, 1, ['a', 'b', 'c', 'd'], 10).length, 4);
    assert.equal(topK(scores, 1, ['a', 'b', 'c', 'd'], 1)[0]!.label, 'a');
  });
});
