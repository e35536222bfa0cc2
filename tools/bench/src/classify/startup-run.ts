import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startImageSender } from '@sluice/classify/testing';
import type { ClassifyBenchSettings } from './bench-settings.js';

const CLASSIFY_BIN = fileURLToPath(new URL('../../../../apps/classify/bin/sluice-classify.mjs', import.meta.url));

/** Images per second the sender offers while start-up is timed: a steady trickle. */
const STARTUP_RATE = 10;

/**
 * Time from launching `sluice-classify` (a new process, as a user would) to its first
 * result on stdout, with sluice-sender already serving images at a steady rate. Covers
 * Node and module start, executor processes, model load and warm-up, the wait for the
 * first batch boundary, and the first batch.
 */
export async function measureStartup(settings: ClassifyBenchSettings): Promise<number> {
  const sender = await startImageSender(settings.imagesDir, ['--loop', '--rate', String(STARTUP_RATE), '--once']);
  try {
    const launched = performance.now();
    const child = spawn(
      process.execPath,
      [
        CLASSIFY_BIN,
        '--source', `socket://127.0.0.1:${sender.port}`,
        '--executors', String(settings.executors),
        '--batch-size', String(settings.batchSize),
        '--batch-duration', settings.batchDuration,
        '--block-interval', settings.blockInterval,
        '--model', settings.model,
        '--backend', settings.backend,
        '--count', '1',
        '--output', 'jsonl:-',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const firstLine = await new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', () => resolve(performance.now()));
      void exited.then((code) => reject(new Error(`sluice-classify exited (${code}) without a result:\n${stderr}`)));
    });
    const code = await exited;
    if (code !== 0) throw new Error(`sluice-classify exited with ${code}:\n${stderr}`);
    return Math.round(firstLine - launched);
  } finally {
    await sender.stop();
  }
}
