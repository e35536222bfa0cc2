import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Log } from '../log.js';
import { fetchWheel } from '../fetch/pypi-wheel.js';
import { readZipFile } from '../fetch/zip-entry.js';

/**
 * ImageNet-1k's 1000 classes in the standard output order of ImageNet classifiers:
 * the order of the training set's class directories, which are WordNet ids sorted as
 * strings (index 0 is n01440764, tench; 999 is n15075141, toilet tissue).
 *
 * - Names: `dist/imagenet_classes.js` of the npm package @tensorflow-models/mobilenet
 *   (a dependency; it holds no weights), `{ 0: 'tench, Tinca tinca', ... }`.
 * - WordNet ids: `timm/data/_info/imagenet_synsets.txt` inside PyPI's timm wheel, the
 *   1000 wnids one per line in that order (nothing is installed; the wheel is a zip
 *   we read one file from). The list is checked to be exactly 1000 distinct, sorted
 *   wnids starting with n01440764, which is what "the standard order" means, so a
 *   wrong or reordered list is refused rather than silently mislabelling results.
 */
export const IMAGENET_CLASS_COUNT = 1000;
export const TIMM_WHEEL = { name: 'timm', version: '1.0.22', size: '2.5 MB' } as const;
const SYNSETS_FILE = 'timm/data/_info/imagenet_synsets.txt';

export interface ImagenetClasses {
  labels: string[];
  wnids: string[];
}

export async function imagenetClasses(log: Log): Promise<ImagenetClasses> {
  const [labels, wnids] = await Promise.all([imagenetLabels(), imagenetWnids(log)]);
  return { labels, wnids };
}

export async function imagenetLabels(): Promise<string[]> {
  const require = createRequire(import.meta.url);
  let file: string;
  try {
    file = join(dirname(require.resolve('@tensorflow-models/mobilenet')), 'imagenet_classes.js');
  } catch (error) {
    throw new Error('the @tensorflow-models/mobilenet package (ImageNet class names) is not installed; run npm ci', { cause: error });
  }
  return parseMobilenetClasses(await readFile(file, 'utf8'), file);
}

/** Reads `N: 'name'` entries (names may be split into 'a' + 'b' across lines) without evaluating the file. */
export function parseMobilenetClasses(source: string, origin: string): string[] {
  const labels: string[] = [];
  const entry = /(\d+)\s*:\s*((?:'(?:[^'\\]|\\.)*'\s*\+?\s*)+)/g;
  for (const match of source.matchAll(entry)) {
    const index = Number(match[1]);
    const parts = [...match[2]!.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((part) => part[1]!.replace(/\\(.)/g, '$1'));
    labels[index] = parts.join('');
  }
  if (labels.length !== IMAGENET_CLASS_COUNT || labels.some((label) => typeof label !== 'string' || label === '')) {
    throw new Error(`${origin} does not list ${IMAGENET_CLASS_COUNT} ImageNet class names`);
  }
  return labels;
}

export async function imagenetWnids(log: Log): Promise<string[]> {
  const wheel = await fetchWheel(TIMM_WHEEL, log);
  const text = readZipFile(await readFile(wheel), SYNSETS_FILE, wheel).toString('utf8');
  return checkWnids(text.split(/\r?\n/).filter((line) => line.trim() !== ''), `${wheel}:${SYNSETS_FILE}`);
}

export function checkWnids(wnids: string[], origin: string): string[] {
  const wellFormed = wnids.every((wnid) => /^n\d{8}$/.test(wnid));
  const sortedAndDistinct = wnids.every((wnid, i) => i === 0 || wnids[i - 1]! < wnid);
  if (wnids.length !== IMAGENET_CLASS_COUNT || !wellFormed || !sortedAndDistinct || wnids[0] !== 'n01440764') {
    throw new Error(`${origin} is not the 1000 ImageNet-1k WordNet ids in sorted order`);
  }
  return wnids;
}
