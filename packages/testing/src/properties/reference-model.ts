/**
 * The reference model of the property tests: what each operator means, written as plain
 * TypeScript over arrays of batches, with no engine code. Batch i (from 0) of a run has
 * time (i + 1) x batchMs; zero time is 0.
 *
 * Outputs are compared as multisets (see sortedRecords): the order of records within a
 * batch is not part of any operator's contract.
 */
export type Pair = [string, number];

export function reduceByKey(batch: readonly Pair[], f: (a: number, b: number) => number): Pair[] {
  const out = new Map<string, number>();
  for (const [k, v] of batch) out.set(k, out.has(k) ? f(out.get(k)!, v) : v);
  return [...out];
}

/** Values of each key sorted, so the grouping is compared, not the arrival order. */
export function groupByKey(batch: readonly Pair[]): [string, number[]][] {
  const out = new Map<string, number[]>();
  for (const [k, v] of batch) {
    const values = out.get(k) ?? [];
    values.push(v);
    out.set(k, values);
  }
  return [...out].map(([k, vs]) => [k, [...vs].sort((a, b) => a - b)]);
}

export function countByValue<T>(batch: readonly T[]): [T, number][] {
  const out = new Map<string, [T, number]>();
  for (const x of batch) {
    const key = JSON.stringify(x);
    const entry = out.get(key);
    if (entry) entry[1]++;
    else out.set(key, [x, 1]);
  }
  return [...out.values()];
}

/** Times at which a stream with this slide has an RDD, up to the last batch. */
export function slideTimes(batchMs: number, numBatches: number, slideMs: number): number[] {
  const out: number[] = [];
  for (let t = slideMs; t <= numBatches * batchMs; t += slideMs) out.push(t);
  return out;
}

/** The records of the batches whose time is in (t - windowMs, t]. */
export function windowAt<T>(batches: readonly (readonly T[])[], batchMs: number, windowMs: number, t: number): T[] {
  const out: T[] = [];
  batches.forEach((batch, i) => {
    const time = (i + 1) * batchMs;
    if (time > t - windowMs && time <= t) out.push(...batch);
  });
  return out;
}

/** window(w, s): at each slide time, the window's records. */
export function windows<T>(batches: readonly (readonly T[])[], batchMs: number, windowMs: number, slideMs: number): T[][] {
  return slideTimes(batchMs, batches.length, slideMs).map((t) => windowAt(batches, batchMs, windowMs, t));
}

/**
 * reduceByKeyAndWindow with an inverse function and no filter, as Spark defines it: the
 * previous window's value per key, minus what left, plus what came in. A key stays once it
 * has been in a window (its value falls back to the inverse's result, 0 for a sum); with
 * the filter `value > 0` over positive values it is exactly the keys in the window.
 */
export function sumByKeyAndWindowWithInverse(
  batches: readonly (readonly Pair[])[],
  batchMs: number,
  windowMs: number,
  slideMs: number,
  filterPositive: boolean,
): Pair[][] {
  const seen = new Set<string>();
  return slideTimes(batchMs, batches.length, slideMs).map((t) => {
    const sums = new Map(reduceByKey(windowAt(batches, batchMs, windowMs, t), (a, b) => a + b));
    for (const k of sums.keys()) seen.add(k);
    if (filterPositive) {
      // Keys leave the state when filtered out, and come back with new values.
      for (const k of [...seen]) if (!((sums.get(k) ?? 0) > 0)) seen.delete(k);
    }
    return [...seen].map((k) => [k, sums.get(k) ?? 0] as Pair);
  });
}

/** updateStateByKey: every key with a state or new values is updated each batch. */
export function updateStateByKey<S>(
  batches: readonly (readonly Pair[])[],
  update: (values: number[], state: S | undefined) => S | undefined,
  initial: readonly [string, S][] = [],
): [string, S][][] {
  const state = new Map<string, S>(initial);
  return batches.map((batch) => {
    const values = new Map<string, number[]>();
    for (const [k, v] of batch) values.set(k, [...(values.get(k) ?? []), v]);
    for (const k of new Set([...state.keys(), ...values.keys()])) {
      const next = update(values.get(k) ?? [], state.get(k));
      if (next === undefined) state.delete(k);
      else state.set(k, next);
    }
    return [...state];
  });
}

/** Joins of two pair batches, Spark's semantics; missing sides are undefined. */
export function joinBatches(
  kind: 'join' | 'leftOuterJoin' | 'rightOuterJoin' | 'fullOuterJoin',
  left: readonly Pair[],
  right: readonly Pair[],
): [string, [number | undefined, number | undefined]][] {
  const l = groupByKey(left);
  const r = new Map(groupByKey(right));
  const out: [string, [number | undefined, number | undefined]][] = [];
  const lKeys = new Set(l.map(([k]) => k));
  for (const [k, lvs] of l) {
    const rvs = r.get(k);
    if (rvs) for (const a of lvs) for (const b of rvs) out.push([k, [a, b]]);
    else if (kind === 'leftOuterJoin' || kind === 'fullOuterJoin') for (const a of lvs) out.push([k, [a, undefined]]);
  }
  if (kind === 'rightOuterJoin' || kind === 'fullOuterJoin') {
    for (const [k, rvs] of r) if (!lKeys.has(k)) for (const b of rvs) out.push([k, [undefined, b]]);
  }
  return out;
}

/** cogroup: each key of either side with both sides' values (sorted). */
export function cogroupBatches(left: readonly Pair[], right: readonly Pair[]): [string, [number[], number[]]][] {
  const l = new Map(groupByKey(left));
  const r = new Map(groupByKey(right));
  return [...new Set([...l.keys(), ...r.keys()])].map((k) => [k, [l.get(k) ?? [], r.get(k) ?? []]]);
}
