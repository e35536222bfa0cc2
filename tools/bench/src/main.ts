/**
 * Benchmarks. Each prints figures measured against the bare limit in the same run:
 *
 *   npm run bench -- ingest --size 100 --seconds 5 --json
 *   npm run bench -- kafka --size 1024 --json
 *   npm run bench -- classify --executors 2 --batch-size 10 --images <dir> --json
 *   npm run bench -- state --keys 1000000 --rate 100000 --seconds 300 --json
 *   npm run bench -- classify-startup --images <dir> --runs 5 [--compare <other checkout's sluice-classify.mjs>]
 *   npm run bench -- cores --workload wordcount|classify [--images <dir>] --json
 *   npm run bench -- window --form inverse --window 300s --slide 1s --json
 *   npm run bench -- checkpoint --job stateful --checkpoint on --json
 *   npm run bench -- overload --capacity 20000 --factor 2 --seconds 120 --json
 *   npm run bench -- backlog --messages 10000000 --initial-rate 100000 --json
 *   npm run bench -- accuracy --images <dir of n01440764_tench.JPEG ...>
 */
import { accuracyBench } from './accuracy-bench.js';
import { backlogBench } from './backlog-bench.js';
import { checkpointBench } from './checkpoint-bench.js';
import { classifyBench } from './classify-bench.js';
import { classifyStartupBench } from './classify-startup-bench.js';
import { coresBench } from './cores-bench.js';
import { ingestBench } from './ingest-bench.js';
import { uiBench } from './ui-bench.js';
import { kafkaBench } from './kafka-bench.js';
import { overloadBench } from './overload-bench.js';
import { stateBench } from './state-bench.js';
import { windowBench } from './window-bench.js';

const BENCHES: Record<string, (args: string[]) => Promise<void>> = {
  ingest: ingestBench,
  ui: uiBench,
  kafka: kafkaBench,
  classify: classifyBench,
  'classify-startup': classifyStartupBench,
  cores: coresBench,
  state: stateBench,
  checkpoint: checkpointBench,
  window: windowBench,
  overload: overloadBench,
  backlog: backlogBench,
  accuracy: accuracyBench,
};

const [name, ...args] = process.argv.slice(2);
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  process.stderr.write(`Usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options] (--help for each)\n`);
  process.exit(2);
}
try {
  await bench(args);
  process.exit(0);
} catch (err) {
  process.stderr.write(`bench ${name}: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
}
