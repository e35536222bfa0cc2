import { closeSync, existsSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/**
 * Follows the event log a driver writes (`--event-log DIR`: one JSON event a line) while
 * it runs, by polling: each poll() returns the events appended since the last.
 */
export class EventLogTail {
  private path: string | null = null;
  private offset = 0;
  private partial = '';
  // A read may end inside a multi-byte character; the decoder keeps its first bytes.
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly dir: string) {}

  poll(): { type: string; payload: unknown }[] {
    if (!this.path) {
      if (!existsSync(this.dir)) return [];
      const name = readdirSync(this.dir).find((n) => n.endsWith('.jsonl.inprogress') || n.endsWith('.jsonl'));
      if (!name) return [];
      this.path = join(this.dir, name);
    }
    let text: string;
    try {
      text = this.readNew(this.path);
    } catch {
      // The log is renamed from .inprogress to .jsonl when the driver stops.
      const done = this.path.replace(/\.inprogress$/, '');
      if (done === this.path || !existsSync(done)) return [];
      this.path = done;
      text = this.readNew(done);
    }
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    const events: { type: string; payload: unknown }[] = [];
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        events.push(JSON.parse(line) as { type: string; payload: unknown });
      } catch {
        // A torn line cannot happen for whole lines; skip anything unreadable.
      }
    }
    return events;
  }

  private readNew(path: string): string {
    const fd = openSync(path, 'r');
    try {
      const chunks: Buffer[] = [];
      const buf = Buffer.alloc(1 << 20);
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, this.offset);
        if (n <= 0) break;
        chunks.push(Buffer.from(buf.subarray(0, n)));
        this.offset += n;
      }
      return this.decoder.write(Buffer.concat(chunks));
    } finally {
      closeSync(fd);
    }
  }
}
