import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { checkProperty } from '../property/property.js';
import { FAMILIES } from './families/index.js';
import { checkFamilies, combinedCases } from './families/check-families.js';

const jobModule = fileURLToPath(new URL('./fixtures/combined-job.ts', import.meta.url));

// The same properties on real executor processes, few cases (processes take a second or
// two to start): every family in one job, one case each with 1 and with 2 executors
// (a fresh seed each run; SLUICE_PROPERTY_SEED reruns one).
for (const executors of [1, 2]) {
  test(`property: every operator family agrees with the reference model on ${executors} executor process(es)`, async (t) => {
    const report = await checkProperty(
      `operators on ${executors} executor(s)`,
      (random) => random.int(0, 2 ** 31 - 1),
      async (seed) => {
        const { timing, cases } = combinedCases(seed, FAMILIES);
        await checkFamilies(cases, timing, { master: 'executors', executors, jobModule, args: [String(seed)] });
      },
      { runs: 1 },
    );
    t.diagnostic(`${report.runs} cases from seed ${report.seed}`);
  });
}
