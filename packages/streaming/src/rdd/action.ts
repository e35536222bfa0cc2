/**
 * An action: what each task does with its partition (runs on an executor) and how the
 * driver combines the per-partition results. Both halves live in the job module, so the
 * executor finds the same action object by replaying the lineage.
 */
export interface Action<T, P, R> {
  readonly kind: string;
  /** Runs on the executor with the partition's records; the result goes to the driver. */
  perPartition(items: T[], partition: number): P | Promise<P>;
  /**
   * The same, fed the partition a chunk at a time (see partition-chunks.ts), for actions
   * that fold: the task then never holds the whole partition. Optional: without it the
   * executor gathers the chunks and calls perPartition.
   */
  perChunks?(chunks: AsyncIterable<T[]>, partition: number): Promise<P>;
  /** Runs on the driver with the partial results, in partition order. */
  combine(partials: P[]): R | Promise<R>;
  /**
   * Runs on the driver with each task's partial result as soon as that task has
   * succeeded, in the order tasks finish (Spark's resultHandler of runJob). The job
   * completes only once every call has settled; a call that throws fails the job.
   */
  onPartial?(partial: P, partition: number): void | Promise<void>;
}

export function collectAction<T>(): Action<T, T[], T[]> {
  return { kind: 'collect', perPartition: (items) => items, combine: (parts) => parts.flat() };
}

export function countAction<T>(): Action<T, number, number> {
  return {
    kind: 'count',
    perPartition: (items) => items.length,
    perChunks: async (chunks) => {
      let n = 0;
      for await (const chunk of chunks) n += chunk.length;
      return n;
    },
    combine: (parts) => parts.reduce((a, b) => a + b, 0),
  };
}

export function takeAction<T>(n: number): Action<T, T[], T[]> {
  return {
    kind: 'take',
    perPartition: (items) => items.slice(0, n),
    // Stops reading once it has n records: take(1) of a large range reads one chunk.
    perChunks: async (chunks) => {
      const out: T[] = [];
      if (n <= 0) return out;
      for await (const chunk of chunks) {
        for (let i = 0; i < chunk.length && out.length < n; i++) out.push(chunk[i]!);
        if (out.length >= n) break;
      }
      return out;
    },
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
    perChunks: async (chunks) => {
      let acc: Partial<T> = { empty: true };
      for await (const chunk of chunks) {
        if (chunk.length === 0) continue;
        const value = reduceAll(chunk);
        acc = acc.empty ? { empty: false, value } : { empty: false, value: f(acc.value, value) };
      }
      return acc;
    },
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

/** foreach: the user's function on every record, so the partition can stream past it. */
export function foreachAction<T>(f: (value: T) => void | Promise<void>): Action<T, null, void> {
  const each = async (items: T[]): Promise<void> => {
    for (let i = 0; i < items.length; i++) await f(items[i]!);
  };
  return {
    kind: 'foreach',
    perPartition: async (items) => {
      await each(items);
      return null;
    },
    perChunks: async (chunks) => {
      for await (const chunk of chunks) await each(chunk);
      return null;
    },
    combine: () => undefined,
  };
}

/**
 * collect, but each partition's records go to `handler` on the driver as soon as its
 * task has finished, rather than all together at the end of the job: what an output
 * that shows results as they come needs. If a later task fails, the partitions already
 * handed over have been seen: a job that is then run again (a re-read batch) hands
 * them over again.
 */
export function collectPartitionsAction<T>(handler: (items: T[], partition: number) => void | Promise<void>): Action<T, T[], void> {
  return {
    kind: 'collectPartitions',
    perPartition: (items) => items,
    onPartial: (items, partition) => handler(items, partition),
    combine: () => undefined,
  };
}
