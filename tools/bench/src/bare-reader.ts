import type { Socket } from 'node:net';
import type { FrameSink, Framer } from '@sluice/protocol';

export interface ReadTotals {
  messages: number;
  bytes: number;
}

/**
 * The loop every bare reader of the ingest benchmark shares: push the input through a
 * framer, let `count` add each record to the totals, and when the input ends print
 * {"messages", "bytes", "seconds"}, timed from the connection (or the first byte, for
 * inputs that do not connect, such as a FIFO).
 */
export function readAndReport(
  input: Socket,
  framer: Framer,
  count: (totals: ReadTotals, buf: Buffer, start: number, end: number) => void,
): void {
  const totals: ReadTotals = { messages: 0, bytes: 0 };
  let started = 0;
  const sink: FrameSink = {
    record: (buf, start, end) => count(totals, buf, start, end),
    fault: (f) => {
      throw new Error(`${f.kind}: ${f.message}`);
    },
  };
  input.on('connect', () => (started = performance.now()));
  input.on('data', (chunk: Buffer) => {
    if (started === 0) started = performance.now();
    framer.push(chunk, sink);
  });
  input.on('end', () => {
    framer.end(sink);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`${JSON.stringify({ ...totals, seconds })}\n`);
  });
}
