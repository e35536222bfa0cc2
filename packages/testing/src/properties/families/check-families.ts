import { runStreamingJob } from '../../run-streaming-job.js';
import { SeededRandom } from '@sluice/protocol';
import { recordsOf } from '../compare.js';
import { randomTiming, type OperatorFamily, type Timing } from './family.js';

export type FamilyCase = [OperatorFamily<any>, unknown];

/** Where a check runs: local mode, or executor processes loading the combined job module. */
export type Where = { master: string } | { master: 'executors'; executors: number; jobModule: string; args: string[] };

/** Runs the families' operators over their cases in one job and checks every output. */
export async function checkFamilies(cases: FamilyCase[], timing: Timing, where: Where): Promise<void> {
  const run = await runStreamingJob(
    'jobModule' in where
      ? { jobModule: where.jobModule, args: where.args }
      : { job: (ssc) => cases.forEach(([family, c]) => family.build(ssc, c)) },
    {
      numBatches: timing.numBatches,
      batchDuration: timing.batchMs,
      master: where.master,
      executors: 'executors' in where ? where.executors : undefined,
    },
  );
  const outputs = run.outputs.map(recordsOf);
  let next = 0;
  for (const [family, c] of cases) {
    family.check(c, timing, outputs.slice(next, next + family.outputs));
    next += family.outputs;
  }
}

/** The cases of a combined run from its seed: the same on the driver and on every executor. */
export function combinedCases(seed: number, families: OperatorFamily<any>[]): { timing: Timing; cases: FamilyCase[] } {
  const random = new SeededRandom(seed);
  // At least 4 batches, so windows slide and states carry over.
  const timing = { ...randomTiming(random), numBatches: random.int(4, 6) };
  return { timing, cases: families.map((f) => [f, f.generate(random, timing)]) };
}
