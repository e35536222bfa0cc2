import type { ReceiverSupervisor } from './receiver-supervisor.js';

/** A source a receiver can hold back: a socket, a read stream. */
export interface PausableSource {
  pause(): unknown;
  resume(): unknown;
}

/**
 * Holds a push source back for as long as any reason holds: the rate limit's delay
 * (receiverMaxRate, backpressure) and a full receive buffer (receiverMaxBufferedBytes).
 * Pausing a socket stops reading it, so the kernel's buffers fill and the sender is held
 * back by TCP; nothing piles up in the heap.
 */
export class SourceHold {
  private rateTimer: NodeJS.Timeout | null = null;
  private rateUntil = 0;
  private waitingForRoom = false;
  private released = false;

  constructor(
    private readonly source: PausableSource,
    private readonly supervisor: ReceiverSupervisor,
  ) {}

  /** After `records` were stored from the source: pause it if it must wait. */
  stored(records: number): void {
    if (this.released) return;
    const delay = this.supervisor.rateDelay(records);
    if (delay > 0) {
      const until = performance.now() + delay;
      if (until > this.rateUntil) {
        this.rateUntil = until;
        if (this.rateTimer) clearTimeout(this.rateTimer);
        this.rateTimer = setTimeout(() => {
          this.rateTimer = null;
          this.resumeIfFree();
        }, delay);
      }
    }
    if (!this.waitingForRoom && this.supervisor.isBufferFull) {
      this.waitingForRoom = true;
      void this.supervisor.whenRoom().then(() => {
        this.waitingForRoom = false;
        this.resumeIfFree();
      });
    }
    if (this.rateTimer || this.waitingForRoom) this.source.pause();
  }

  /** The source is closed: stop holding it (its timers must not keep the process alive). */
  release(): void {
    this.released = true;
    if (this.rateTimer) clearTimeout(this.rateTimer);
    this.rateTimer = null;
  }

  private resumeIfFree(): void {
    if (this.released || this.rateTimer || this.waitingForRoom) return;
    this.source.resume();
  }
}
