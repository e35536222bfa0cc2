import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { encodeImageFrame } from '@sluice/protocol';

/**
 * What the rate-controlled sender sends: a cycle of encoded records, each a slice of one
 * buffer, so sending k records is one or two `subarray` calls and no per-record work.
 */
export interface RecordCycle {
  /** The encoded records back to back. */
  bytes: Buffer;
  /** offsets[i] is where record i starts; offsets[count] === bytes.length. */
  offsets: number[];
  count: number;
  kind: 'text' | 'images';
}

const WORDS = (
  'the quick brown fox jumps over a lazy dog while streams of small batches flow ' +
  'through the driver to executors and back each record counted once in every window ' +
  'spark and sluice cut time into batches so that late data waits for the next one'
).split(' ');

/**
 * Text lines of 6 to 14 words drawn from a fixed list by a fixed generator: the same
 * input every run, with repeated words (so a word count's shuffle has keys to combine).
 */
export function textLines(lines = 4096): RecordCycle {
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const n = 6 + (next() % 9);
    const words: string[] = [];
    for (let w = 0; w < n; w++) words.push(WORDS[next() % WORDS.length]!);
    out.push(words.join(' ') + '\n');
  }
  return cycleOf(out.map((l) => Buffer.from(l, 'utf8')), 'text');
}

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff']);

/** The images of a directory (name order), each as an image frame: 28-byte name, 4-byte length, bytes. */
export function imageFrames(dir: string): RecordCycle {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    throw new Error(`--images ${dir}: ${(err as Error).message}`);
  }
  const frames = names
    .filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase()) && statSync(join(dir, n)).isFile())
    .map((n) => encodeImageFrame(n, readFileSync(join(dir, n))));
  if (frames.length === 0) throw new Error(`--images ${dir}: no image files (.jpg .jpeg .png .webp .gif .tif .tiff) in it`);
  return cycleOf(frames, 'images');
}

function cycleOf(records: Buffer[], kind: RecordCycle['kind']): RecordCycle {
  const offsets = [0];
  for (const r of records) offsets.push(offsets[offsets.length - 1]! + r.length);
  return { bytes: Buffer.concat(records), offsets, count: records.length, kind };
}
