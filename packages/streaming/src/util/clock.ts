import { concatMap, timer } from 'rxjs';

/**
 * What drives the batch clock. The system clock ticks in real time; a manual clock ticks
 * only when a test advances it (Spark's ManualClock), so a test decides exactly which
 * batches run and when, whatever the machine's load.
 */
export interface BatchClock {
  now(): number;
  /**
   * Calls `onTick(time)` at `firstMs` and every `periodMs` after it, in order, each after
   * the previous one's promise settled. Returns a function that stops the ticks.
   */
  scheduleBatches(firstMs: number, periodMs: number, onTick: (time: number) => Promise<void>): () => void;
}

export class SystemClock implements BatchClock {
  now(): number {
    return Date.now();
  }

  scheduleBatches(first: number, periodMs: number, onTick: (time: number) => Promise<void>): () => void {
    // concatMap: a tick whose work is slow delays the next one rather than overlapping it,
    // so batches are generated in time order. Ticks are counted from `first`, so the
    // clock never drifts.
    const subscription = timer(Math.max(0, first - Date.now()), periodMs)
      .pipe(concatMap((i) => onTick(first + i * periodMs)))
      .subscribe();
    return () => subscription.unsubscribe();
  }
}

interface Schedule {
  periodMs: number;
  next: number;
  onTick: (time: number) => Promise<void>;
}

/** A clock that moves only when `advance` is called; time starts at `startMs` (0). */
export class ManualClock implements BatchClock {
  private current: number;
  private readonly schedules = new Set<Schedule>();

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  scheduleBatches(firstMs: number, periodMs: number, onTick: (time: number) => Promise<void>): () => void {
    const schedule: Schedule = { periodMs, next: firstMs, onTick };
    this.schedules.add(schedule);
    return () => this.schedules.delete(schedule);
  }

  /**
   * Moves the clock forward by `ms`, running every tick that falls in between, in time
   * order. Resolves when those ticks have run (for the batch clock: when the batches have
   * been generated and handed to the scheduler, not when they finished).
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new Error(`a manual clock only moves forward (advance by ${ms} ms)`);
    const target = this.current + ms;
    for (;;) {
      let due: Schedule | null = null;
      for (const s of this.schedules) if (s.next <= target && (!due || s.next < due.next)) due = s;
      if (!due) break;
      const time = due.next;
      due.next += due.periodMs;
      this.current = time;
      await due.onTick(time);
    }
    this.current = target;
  }
}
