import type { SeededRandom } from '@sluice/protocol';

export interface KeyedStreamShape {
  /** Batches in the stream. */
  batches: number;
  /** Most records in one batch (a batch may be empty). */
  maxRecords: number;
  /** Distinct keys to draw from: few keys make collisions, many make sparse batches. */
  keys: number;
  /** Values are integers in [-maxValue, maxValue]. */
  maxValue: number;
}

/** A random shape: how many batches, how full, how many keys. */
export function randomShape(random: SeededRandom, limits: Partial<KeyedStreamShape> = {}): KeyedStreamShape {
  return {
    batches: random.int(1, limits.batches ?? 8),
    maxRecords: random.pick([0, 1, 3, 10, limits.maxRecords ?? 40]),
    keys: random.pick([1, 2, 5, limits.keys ?? 20]),
    maxValue: limits.maxValue ?? 100,
  };
}

/** Random batches of [key, value] pairs; keys are strings "k0".."k{keys-1}". */
export function randomKeyedBatches(random: SeededRandom, shape: KeyedStreamShape): [string, number][][] {
  const out: [string, number][][] = [];
  for (let b = 0; b < shape.batches; b++) {
    // Some batches empty on purpose: windows and state must deal with gaps.
    const n = random.chance(0.2) ? 0 : random.int(0, shape.maxRecords);
    const batch: [string, number][] = [];
    for (let i = 0; i < n; i++) batch.push([`k${random.int(0, shape.keys - 1)}`, random.int(-shape.maxValue, shape.maxValue)]);
    out.push(batch);
  }
  return out;
}

export interface WindowShape {
  batchMs: number;
  windowMs: number;
  slideMs: number;
}

/**
 * Random batch, window and slide durations: window and slide are multiples of the batch
 * (as they must be), the window from 1 to `maxBatches` batches, the slide from 1 batch up
 * to the window (and, now and then, longer than the window).
 */
export function randomWindow(random: SeededRandom, maxBatches = 5, batchMs = random.pick([100, 250, 1000, 2000])): WindowShape {
  const windowBatches = random.int(1, maxBatches);
  const slideBatches = random.chance(0.1) ? windowBatches + random.int(1, 2) : random.int(1, windowBatches);
  return { batchMs, windowMs: windowBatches * batchMs, slideMs: slideBatches * batchMs };
}

/** Records as a sorted multiset, to compare outputs whose order is not part of the contract. */
export function sortedRecords<T>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => compareRecords(a, b));
}

function compareRecords(a: unknown, b: unknown): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
