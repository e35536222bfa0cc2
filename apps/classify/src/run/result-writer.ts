import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { OutputSpec } from '../job/output-spec.js';
import type { ResultRecord } from '../job/result-record.js';
import { formatResultJson, formatResultLine } from './result-format.js';

export interface ResultWriter {
  write(records: ResultRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** The writer for --output stdout or jsonl:<file>; Kafka output is written by the executors. */
export function createResultWriter(output: Exclude<OutputSpec, { kind: 'kafka' }>): ResultWriter {
  if (output.kind === 'stdout') return new LineWriter(process.stdout, formatResultLine, false);
  if (output.path === '-') return new LineWriter(process.stdout, formatResultJson, false);
  return new LineWriter(createWriteStream(output.path, { flags: 'w' }), formatResultJson, true);
}

class LineWriter implements ResultWriter {
  private failure: Error | null = null;

  constructor(
    private readonly out: Writable,
    private readonly format: (record: ResultRecord) => string,
    private readonly owned: boolean,
  ) {
    out.on('error', (err) => (this.failure ??= err));
  }

  async write(records: ResultRecord[]): Promise<void> {
    if (this.failure) throw this.failure;
    if (records.length === 0) return;
    // A slow reader holds the batch back rather than letting lines pile up in memory.
    if (!this.out.write(records.map(this.format).join('\n') + '\n')) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    this.out.end();
    if (!this.out.writableFinished) await once(this.out, 'finish');
    if (this.failure) throw this.failure;
  }
}
