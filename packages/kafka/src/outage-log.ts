import { explainKafkaError } from './kafka-errors.js';

/**
 * Reports a failing Kafka operation once when it starts failing, again only every
 * `repeatMs` (or when the error changes) while it keeps failing, and once when it
 * works again: a broker that is down for a minute is three lines, not one per batch.
 */
export class OutageLog {
  private since: number | null = null;
  private lastLogged = 0;
  private lastMessage = '';

  constructor(
    private readonly log: (line: string) => void,
    private readonly what: string,
    private readonly brokers: string,
    private readonly consequence: string,
    private readonly repeatMs = 10_000,
  ) {}

  get failing(): boolean {
    return this.since !== null;
  }

  failed(err: unknown): void {
    const message = explainKafkaError(err, this.brokers);
    const now = Date.now();
    if (this.since === null) {
      this.since = now;
      this.log(`${this.what}: ${message}; ${this.consequence}`);
    } else if (now - this.lastLogged >= this.repeatMs || message !== this.lastMessage) {
      this.log(`${this.what}: still failing after ${seconds(now - this.since)}: ${message}`);
    } else {
      return;
    }
    this.lastLogged = now;
    this.lastMessage = message;
  }

  recovered(detail: string): void {
    if (this.since === null) return;
    this.log(`${this.what}: works again after ${seconds(Date.now() - this.since)}; ${detail}`);
    this.since = null;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
