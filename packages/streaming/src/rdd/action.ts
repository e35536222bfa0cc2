/**
 * An action: what each task does with its partition (runs on an executor) and how the
 * driver combines the per-partition results. Both halves live in the job module, so the
 * executor finds the same action object by replaying the lineage.
 */
export interface Action<T, P, R> {
  readonly kind: string;
  /** Runs on the executor with the partition's records; the result goes to the driver. */
  perPartition(items: T[], partition: number): P | Promise<P>;
  /** Runs on the driver with the partial results, in partition order. */
  combine(partials: P[]): R | Promise<R>;
}

export function collectAction<T>(): Action<T, T[], T[]> {
  return { kind: 'collect', perPartition: (items) => items, combine: (parts) => parts.flat() };
}

export function countAction<T>(): Action<T, number, number> {
  return {
    kind: 'count',
    perPartition: (items) => items.length,
    combine: (parts) => parts.reduce((a, b) => a + b, 0),
  };
}

export function takeAction<T>(n: number): Action<T, T[], T[]> {
  return {
    kind: 'take',
    perPartition: (items) => items.slice(0, n),
    combine: (parts) => parts.flat().slice(0, n),
  };
}

/** The per-partition result of reduce: empty partitions contribute nothing. */
type Partial<T> = { empty: true } | { empty: false; value: T };

export function reduceAction<T>(f: (a: T, b: T) => T): Action<T, Partial<T>, T> {
  const reduceAll = (values: T[]): T => values.reduce(f);
  return {
    kind: 'reduce',
    perPartition: (items) => (items.length === 0 ? { empty: true } : { empty: false, value: reduceAll(items) }),
    combine: (parts) => {
      const values = parts.flatMap((p) => (p.empty ? [] : [p.value]));
      if (values.length === 0) throw new Error('reduce of an empty RDD');
      return reduceAll(values);
    },
  };
}

export function foreachPartitionAction<T>(
  f: (items: T[], partition: number) => void | Promise<void>,
): Action<T, null, void> {
  return {
    kind: 'foreachPartition',
    perPartition: async (items, partition) => {
      await f(items, partition);
      return null;
    },
    combine: () => undefined,
  };
}
