import { createServer, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { StreamingContext } from '@sluice/streaming';
import { totals } from './jobs/wordcount-bench-job.js';
import { cpuSecondsBetween, processTreeCpu } from './process-tree-cpu.js';
import { submitMeasured } from './submit-measured.js';

const WORDS_PER_LINE = 10;
const VOCABULARY = Array.from({ length: 1000 }, (_, i) => `w${(i * 7919) % 100000}`.padEnd(9, 'x'));

/** Line i: 10 words of the vocabulary (about 100 bytes with the spaces and newline). */
function lineOf(i: number): string {
  const words: string[] = [];
  for (let j = 0; j < WORDS_PER_LINE; j++) words.push(VOCABULARY[(i * 31 + j * 17) % VOCABULARY.length]!);
  return words.join(' ');
}

/** A TCP server that sends `lines` lines as fast as the connection takes them, then closes. */
async function startLineServer(lines: number): Promise<{ port: number; done: Promise<void>; close: () => void }> {
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const server = createServer((socket: Socket) => {
    let i = 0;
    const pump = (): void => {
      while (i < lines) {
        let chunk = '';
        for (const end = Math.min(lines, i + 1000); i < end; i++) chunk += `${lineOf(i)}\n`;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      socket.end(finished);
    };
    pump();
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, done, close: () => server.close() };
}

/**
 * Runs the network word count over `lines` lines of 10 words and returns lines/s from the
 * receiver's start to the batch that counted the last word, and the CPU seconds the
 * whole process tree (driver, executors, anything else this process started) used
 * meanwhile; checks every word's total.
 */
export async function measureWordCount(
  lines: number,
  conf: Record<string, unknown>,
  beforeStart?: (ssc: StreamingContext) => Promise<void>,
): Promise<{ lines: number; seconds: number; cpuSeconds: number }> {
  const expected = new Map<string, number>();
  for (let i = 0; i < lines; i++) for (const w of lineOf(i).split(' ')) expected.set(w, (expected.get(w) ?? 0) + 1);
  const server = await startLineServer(lines);
  try {
    const job = fileURLToPath(new URL('./jobs/wordcount-bench-job.ts', import.meta.url));
    const { ssc, clockStart, cpuStart } = await submitMeasured(job, [String(server.port)], conf, totals, beforeStart);
    await server.done;
    const deadline = Date.now() + 120_000;
    while (totals.counted < lines * WORDS_PER_LINE && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const seconds = (totals.lastBatchDone - clockStart) / 1000;
    const cpuSeconds = cpuSecondsBetween(cpuStart, processTreeCpu());
    await ssc.stop();
    if (totals.counted !== lines * WORDS_PER_LINE) throw new Error(`counted ${totals.counted} words of ${lines * WORDS_PER_LINE} within 120 s`);
    for (const [w, n] of expected) {
      if (totals.words.get(w) !== n) throw new Error(`word ${w}: counted ${totals.words.get(w) ?? 0}, sent ${n}`);
    }
    return { lines, seconds, cpuSeconds };
  } finally {
    server.close();
  }
}
