/**
 * Iterates `source` while keeping up to `depth` items requested ahead of the consumer,
 * so the next fetch travels while the task works on the current one. An async
 * generator queues the extra next() calls and runs its body for them one after
 * another, which is all the overlap needs. Memory: the item being used plus `depth`.
 *
 * Stopping early (a break, or take(n) having enough) returns the source once the
 * requests already sent have settled, so no fetch is left running into a closed task.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const pending: Promise<IteratorResult<T>>[] = [];
  const request = (): void => {
    const next = it.next();
    // Awaited below in order; this only keeps a failure that is not awaited yet from being reported as unhandled.
    next.catch(() => undefined);
    pending.push(next);
  };
  let done = false;
  try {
    request();
    while (pending.length > 0) {
      while (!done && pending.length <= depth) request();
      const result = await pending.shift()!;
      if (result.done) {
        done = true;
        break;
      }
      yield result.value;
    }
  } finally {
    if (!done) {
      await Promise.allSettled(pending);
      await it.return?.();
    }
  }
}
