import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWnids, imagenetLabels, parseMobilenetClasses } from './imagenet-classes.js';

describe('ImageNet class names and WordNet ids', () => {
  it('reads the 1000 names shipped in @tensorflow-models/mobilenet, joining names split over lines', async () => {
    const labels = await imagenetLabels();
    assert.equal(labels.length, 1000);
    assert.equal(labels[0], 'tench, Tinca tinca');
    assert.equal(labels[285], 'Egyptian cat');
    assert.equal(labels[996], 'hen-of-the-woods, hen of the woods, Polyporus frondosus, Grifola frondosa');
    assert.equal(labels[999], 'toilet tissue, toilet paper, bathroom tissue');
  });

  it('refuses a names file that does not list 1000 classes', () => {
    assert.throws(() => parseMobilenetClasses("exports.IMAGENET_CLASSES = { 0: 'tench', 1: 'goldfish' };", 'x.js'), /does not list 1000/);
  });

  it('accepts only 1000 distinct sorted wnids starting at the tench', () => {
    const wnids = Array.from({ length: 1000 }, (_, i) => `n${String(1440764 + i).padStart(8, '0')}`);
    assert.equal(checkWnids(wnids, 'ok').length, 1000);
    assert.throws(() => checkWnids([...wnids].reverse(), 'reversed'), /not the 1000 ImageNet-1k WordNet ids in sorted order/);
    assert.throws(() => checkWnids(wnids.slice(1), 'short'), /not the 1000/);
    assert.throws(() => checkWnids([...wnids.slice(0, 999), 'n0'], 'malformed'), /not the 1000/);
  });
});
