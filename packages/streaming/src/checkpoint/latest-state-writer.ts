/**
 * Writes a state that only its newest version matters of (the driver's metadata
 * checkpoint): one write at a time, and a request made while a write is under way does
 * not queue a write of its own. It joins the next write, which starts when the current one
 * ends and takes the state as it is then, so it covers every request made before it. A
 * slow disk therefore costs at most two writes' time to any request, never a queue that
 * grows with the rate of requests; superseded versions are simply never written.
 *
 * `take()` captures the state (synchronously, when a write starts); `write(taken)` makes
 * it durable. Each request's promise resolves once a write that started after the request
 * has finished, and rejects if that write failed.
 */
export class LatestStateWriter<T> {
  private running: Promise<void> | null = null;
  /** Requests waiting for the next write: resolved together when it ends. */
  private waiting: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  /** Requests made, and writes done for them (fewer when requests came while a write was under way). */
  readonly counts = { requests: 0, writes: 0 };

  constructor(
    private readonly take: () => T,
    private readonly write: (taken: T) => Promise<void>,
  ) {}

  /** A write that covers the state as it is now. */
  request(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.counts.requests++;
    if (!this.running) this.startNext();
    return done;
  }

  /** Resolves when no write is under way or waiting. */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => {});
  }

  private startNext(): void {
    const served = this.waiting.splice(0);
    if (served.length === 0) {
      this.running = null;
      return;
    }
    let taken: T;
    try {
      taken = this.take();
    } catch (err) {
      for (const w of served) w.reject(err);
      this.running = null;
      return;
    }
    this.counts.writes++;
    this.running = this.write(taken).then(
      () => {
        for (const w of served) w.resolve();
        this.startNext();
      },
      (err: unknown) => {
        for (const w of served) w.reject(err);
        this.startNext();
      },
    );
  }
}
