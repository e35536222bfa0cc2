import { test } from 'node:test';
import { checkProperty } from '../property/property.js';
import { FAMILIES, randomTiming } from './families/index.js';
import { checkFamilies } from './families/check-families.js';

// Each family of operators against the reference model in local mode: many random cases
// (random streams of random keys, random batch, window and slide durations, partitions
// and cores), each bounded in time.
for (const family of FAMILIES) {
  test(`property: the ${family.name} agree with the reference model (local mode)`, async (t) => {
    const report = await checkProperty(
      family.name,
      (random) => {
        const timing = randomTiming(random, 10);
        return { timing, cores: random.int(1, 3), testCase: family.generate(random, timing) as unknown };
      },
      (c) => checkFamilies([[family, c.testCase]], c.timing, { master: `local[${c.cores}]` }),
      { runs: 20, timeBudgetMs: 8000 },
    );
    t.diagnostic(`${report.runs} cases from seed ${report.seed}`);
  });
}
