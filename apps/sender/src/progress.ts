import { ReaderGoneError } from './stream-writer.js';

/**
 * Progress on stderr: a line a second while sending, then a summary. stdout stays free
 * for anything a caller might pipe.
 */
export class Progress {
  private items = 0;
  private bytes = 0;
  private readonly startedAt = performance.now();
  private lastItems = 0;
  private lastBytes = 0;
  private lastAt = this.startedAt;
  private readonly timer: NodeJS.Timeout;

  constructor(
    /** Who is sending to whom, e.g. "images -> 127.0.0.1:51234". */
    private readonly label: string,
    /** What an item is called, plural: "images", "messages", "frames". */
    private readonly unit: string,
    intervalMs = 1000,
  ) {
    this.timer = setInterval(() => this.report(), intervalMs);
    this.timer.unref();
  }

  add(items: number, bytes: number): void {
    this.items += items;
    this.bytes += bytes;
  }

  get sent(): number {
    return this.items;
  }

  /**
   * Runs the sending loop and prints the summary however it ends. A reader that goes away
   * ends the sending, not the sender: a server goes on serving the next client.
   */
  async track(send: () => Promise<void>): Promise<void> {
    try {
      await send();
      this.finish();
    } catch (error) {
      if (error instanceof ReaderGoneError) {
        this.finish(`stopped, ${error.message}`);
        return;
      }
      this.finish('failed');
      throw error;
    }
  }

  /** Stops the periodic lines and prints the summary; `outcome` says how sending ended. */
  finish(outcome = 'done'): void {
    clearInterval(this.timer);
    const seconds = (performance.now() - this.startedAt) / 1000;
    log(
      `${this.label}: ${outcome}: sent ${this.items} ${this.unit}, ${formatMegabytes(this.bytes)} in ${seconds.toFixed(2)} s ` +
        `(${formatRate(this.items, seconds, this.unit)}, ${formatMegabytes(this.bytes / Math.max(seconds, 1e-9))}/s)`,
    );
  }

  private report(): void {
    const now = performance.now();
    const seconds = (now - this.lastAt) / 1000;
    log(
      `${this.label}: sent ${this.items} ${this.unit} (${formatRate(this.items - this.lastItems, seconds, this.unit)}, ` +
        `${formatMegabytes((this.bytes - this.lastBytes) / seconds)}/s)`,
    );
    this.lastItems = this.items;
    this.lastBytes = this.bytes;
    this.lastAt = now;
  }
}

export function log(line: string): void {
  process.stderr.write(`sluice-sender ${line}\n`);
}

function formatMegabytes(bytes: number): string {
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;
}

function formatRate(items: number, seconds: number, unit: string): string {
  return `${Math.round(items / Math.max(seconds, 1e-9))} ${unit}/s`;
}
