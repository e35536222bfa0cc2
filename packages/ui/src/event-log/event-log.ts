import { createReadStream, createWriteStream, mkdirSync, readdirSync, renameSync, statSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { UiEvent } from '../ui-events.js';

const SUFFIX = '.jsonl';
const IN_PROGRESS = '.inprogress';

/**
 * Writes an application's listener events as JSON lines, one event a line
 * (`{"type":"onBatchCompleted","payload":{...}}`), to DIR/<appId>.jsonl. While the
 * application runs the file is named <appId>.jsonl.inprogress, as Spark's event logs are.
 */
export class EventLogWriter {
  private readonly out: WriteStream;
  private closed = false;
  readonly path: string;

  constructor(dir: string, appId: string) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, `${appId}${SUFFIX}`);
    this.out = createWriteStream(this.path + IN_PROGRESS, { flags: 'w' });
    this.out.on('error', (err) => {
      process.stderr.write(`sluice: the event log ${this.path} cannot be written: ${err.message}\n`);
      this.closed = true;
    });
  }

  write(event: UiEvent): void {
    if (this.closed) return;
    this.out.write(JSON.stringify(event) + '\n');
  }

  /** Flushes and gives the log its final name. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => this.out.end(resolve));
    renameSync(this.path + IN_PROGRESS, this.path);
  }
}

export interface EventLogFile {
  appId: string;
  path: string;
  complete: boolean;
  modified: number;
}

/** The event logs in a directory, newest first (finished ones and those still being written). */
export function listEventLogs(dir: string): EventLogFile[] {
  const out: EventLogFile[] = [];
  for (const name of readdirSync(dir)) {
    const complete = name.endsWith(SUFFIX);
    if (!complete && !name.endsWith(SUFFIX + IN_PROGRESS)) continue;
    const path = join(dir, name);
    out.push({ appId: name.slice(0, name.indexOf(SUFFIX)), path, complete, modified: statSync(path).mtimeMs });
  }
  return out.sort((a, b) => b.modified - a.modified);
}

/**
 * Reads an event log line by line. A line that is not JSON (a log cut short by a crash
 * ends in half a line) is reported through `onBadLine` and skipped.
 */
export async function readEventLog(path: string, onEvent: (e: UiEvent) => void, onBadLine: (lineNo: number, why: string) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (err) {
      onBadLine(n, (err as Error).message);
      continue;
    }
    if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string') {
      onBadLine(n, 'not an event (no "type")');
      continue;
    }
    onEvent(event as UiEvent);
  }
}
