/** A tick that ran later than it was due: the batch keeps its time, the lateness is reported. */
export interface LateTick {
  time: number;
  lateMs: number;
}

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
   * `onLate` hears of every tick that started more than LATE_TICK_MS after its time.
   */
  scheduleBatches(
    firstMs: number,
    periodMs: number,
    onTick: (time: number) => Promise<void>,
    onLate?: (late: LateTick) => void,
  ): () => void;
  /**
   * Resolves once the clock reads `timeMs` or later. A graceful stop waits here for the
   * boundary of the batch that takes in the last received data.
   */
  sleepUntil(timeMs: number): Promise<void>;
}

/** A tick starting this much after its time counts as late (timers fire a millisecond or two late as a rule). */
export const LATE_TICK_MS = 5;

/**
 * Ticks in real time, each against absolute time (Spark's RecurringTimer): tick i is due
 * at first + i * period, and its timer is set for exactly that, however late the previous
 * one fired. A periodic timer (setInterval, RxJS's timer) re-arms relative to when its
 * callback ran, so every tick's lateness adds up; here it never carries over. A tick
 * whose time has passed (the previous batch took longer to generate than a period, or the
 * process was stalled) runs at once, with its own time, and is reported as late.
 */
export class SystemClock implements BatchClock {
  now(): number {
    return Date.now();
  }

  scheduleBatches(
    first: number,
    periodMs: number,
    onTick: (time: number) => Promise<void>,
    onLate: (late: LateTick) => void = () => {},
  ): () => void {
    let next = first;
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    const arm = (): void => {
      if (stopped) return;
      timer = setTimeout(fire, Math.max(0, next - Date.now()));
    };
    const fire = (): void => {
      timer = null;
      if (stopped) return;
      const now = Date.now();
      // setTimeout may fire a little early on a coarse clock: wait for the due time.
      if (now < next) return arm();
      const time = next;
      next += periodMs;
      if (now - time > LATE_TICK_MS) onLate({ time, lateMs: now - time });
      // In order: the next tick waits for this one's work, then fires at its own due time.
      onTick(time).then(arm, arm);
    };
    arm();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }

  async sleepUntil(timeMs: number): Promise<void> {
    // Like the ticks: setTimeout may fire a little early, so wait again until the time is reached.
    while (Date.now() < timeMs) await new Promise((resolve) => setTimeout(resolve, timeMs - Date.now()));
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
   * Does not wait: a manual clock moves only when a test advances it, so a graceful stop
   * under it flushes the received data at once, into the batch the next tick would have run.
   */
  async sleepUntil(_timeMs: number): Promise<void> {}

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
