/**
 * Runs the classify benchmark on its own, the way `npm run bench -- classify` does:
 *
 *   node --import tsx tools/bench/src/classify-bench-cli.ts --images <dir> --executors 2 --batch-size 10 --json
 */
import { classifyBench } from './classify-bench.js';

try {
  await classifyBench(process.argv.slice(2));
  process.exit(0);
} catch (err) {
  process.stderr.write(`bench classify: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
}
