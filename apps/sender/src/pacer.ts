import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces items out to an average rate. Item k is due k/rate seconds after the first, so a
 * sender that falls behind (a slow reader, a slow disk) catches up instead of losing the
 * time; timers are coarse, so at high rates items are released in small bursts.
 * Without a rate every item is due at once.
 */
export class Pacer {
  private startedAt = -1;
  private released = 0;

  constructor(private readonly perSecond: number | undefined) {}

  /** Waits until at least one item is due; returns how many of at most `max` may go now. */
  async take(max: number): Promise<number> {
    if (this.perSecond === undefined) return max;
    if (this.startedAt < 0) this.startedAt = performance.now();
    for (;;) {
      const elapsed = performance.now() - this.startedAt;
      const due = Math.floor((elapsed * this.perSecond) / 1000) + 1 - this.released;
      if (due >= 1) {
        const n = Math.min(max, due);
        this.released += n;
        return n;
      }
      await sleep(Math.max(1, (this.released * 1000) / this.perSecond - elapsed));
    }
  }

  /** Hands back items taken but not sent, so they are due again at once. */
  giveBack(count: number): void {
    if (this.perSecond !== undefined) this.released -= count;
  }
}
