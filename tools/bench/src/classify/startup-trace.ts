/**
 * One launch of sluice-classify against a live socket source, every line it writes on
 * stderr time-stamped from the launch: where start-up goes, step by step (the driver,
 * the executors' messages, the model loads, the first result).
 *
 *   node --import tsx tools/bench/src/classify/startup-trace.ts --images DIR
 *        [--bin path/to/sluice-classify.mjs] [--executors 2] [--batch-size 8] [-- extra options]
 *
 * --bin runs another checkout's sluice-classify (to compare before and after a change);
 * the sender (`sluice-sender images --loop --rate 10`) is this tree's.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startImageSender } from '../../../../apps/classify/src/demo/image-sender';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    images: { type: 'string' },
    bin: { type: 'string', default: fileURLToPath(new URL('../../../../apps/classify/bin/sluice-classify.mjs', import.meta.url)) },
    executors: { type: 'string', default: '2' },
    'batch-size': { type: 'string', default: '8' },
  },
});
if (!values.images) throw new Error('--images DIR is required');

const sender = await startImageSender(values.images, ['--loop', '--rate', '10']);
try {
  // The sender has been sending for a while when a user starts the classifier.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const launched = performance.now();
  const at = () => ((performance.now() - launched) / 1000).toFixed(2).padStart(6);
  const child = spawn(
    process.execPath,
    [
      values.bin,
      '--source', `socket://127.0.0.1:${sender.port}`,
      '--executors', values.executors,
      '--batch-size', values['batch-size'],
      '--count', '1',
      '--output', 'jsonl:-',
      '--no-ui',
      ...positionals,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  createInterface({ input: child.stderr }).on('line', (line) => process.stdout.write(`${at()} ${line}\n`));
  createInterface({ input: child.stdout }).once('line', () => process.stdout.write(`${at()} FIRST RESULT\n`));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  process.stdout.write(`${at()} exited with ${code}\n`);
} finally {
  await sender.stop();
}
