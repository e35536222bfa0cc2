import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The class names of a model directory, index i naming output i. Accepted files, in
 * order of preference:
 * - labels.json: ["cat", "dog"] or {"0": "cat", "1": "dog"} (Keras class_indices inverted)
 * - labels.txt:  one label per line
 */
export async function readLabels(directory: string): Promise<string[]> {
  const json = await readOptional(join(directory, 'labels.json'));
  if (json !== undefined) return parseJsonLabels(json, join(directory, 'labels.json'));
  const text = await readOptional(join(directory, 'labels.txt'));
  if (text !== undefined) return parseTextLabels(text, join(directory, 'labels.txt'));
  throw new Error(`no labels file in ${directory}: expected labels.json or labels.txt`);
}

/** WordNet ids from an optional wnids.txt beside the labels, one per line; undefined without one. */
export async function readWnids(directory: string): Promise<string[] | undefined> {
  const path = join(directory, 'wnids.txt');
  const text = await readOptional(path);
  if (text === undefined) return undefined;
  const wnids = parseTextLabels(text, path);
  const bad = wnids.find((wnid) => !/^n\d{8}$/.test(wnid));
  if (bad !== undefined) throw new Error(`${path}: ${JSON.stringify(bad)} is not a WordNet id like n01440764`);
  return wnids;
}

export function parseJsonLabels(text: string, origin: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${origin} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (Array.isArray(value)) {
    if (!value.every((label) => typeof label === 'string')) throw new Error(`${origin}: every label must be a string`);
    return nonEmpty(value, origin);
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const labels: string[] = [];
    for (const [key, label] of entries) {
      const index = Number(key);
      if (!Number.isInteger(index) || index < 0 || typeof label !== 'string') {
        throw new Error(`${origin}: expected {"<index>": "<label>"} entries, found ${JSON.stringify(key)}: ${JSON.stringify(label)}`);
      }
      labels[index] = label;
    }
    if (labels.length !== entries.length) throw new Error(`${origin}: label indices must be 0..${entries.length - 1} with no gaps`);
    return nonEmpty(labels, origin);
  }
  throw new Error(`${origin}: expected an array of labels or an object of index -> label`);
}

export function parseTextLabels(text: string, origin: string): string[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return nonEmpty(lines, origin);
}

function nonEmpty(labels: string[], origin: string): string[] {
  if (labels.length === 0) throw new Error(`${origin} lists no labels`);
  return labels;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}
