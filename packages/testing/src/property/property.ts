import { SeededRandom } from '@sluice/protocol';

export interface PropertyOptions {
  /** Cases to try at most (default 25). */
  runs?: number;
  /**
   * Stop starting new cases after this long (default 10 s); at least one case runs. Keeps
   * a property test's cost bounded whatever the machine's load.
   */
  timeBudgetMs?: number;
  /**
   * The first case's seed. Default: SLUICE_PROPERTY_SEED from the environment, or a fresh
   * one. Case k uses seed + k, so the seed printed with a failure reruns just that case.
   */
  seed?: number;
}

export interface PropertyReport {
  seed: number;
  runs: number;
}

/**
 * Checks a property over random cases: `generate` makes a case from a seeded random
 * source, `check` runs it and throws (an assertion) when the property does not hold.
 * A failure names the property, the case's seed, how to rerun it, and the case itself.
 */
export async function checkProperty<C>(
  name: string,
  generate: (random: SeededRandom) => C,
  check: (testCase: C, random: SeededRandom) => Promise<void> | void,
  options: PropertyOptions = {},
): Promise<PropertyReport> {
  const first = options.seed ?? seedFromEnvironment() ?? Math.floor(Math.random() * 2 ** 31);
  const runs = options.runs ?? 25;
  const deadline = Date.now() + (options.timeBudgetMs ?? 10_000);
  let done = 0;
  for (let k = 0; k < runs && (k === 0 || Date.now() < deadline); k++) {
    const seed = (first + k) >>> 0;
    const random = new SeededRandom(seed);
    const testCase = generate(random);
    try {
      await check(testCase, random);
    } catch (err) {
      throw new PropertyFailure(name, seed, testCase, err);
    }
    done++;
  }
  return { seed: first, runs: done };
}

function seedFromEnvironment(): number | undefined {
  const text = process.env.SLUICE_PROPERTY_SEED;
  if (text === undefined || text === '') return undefined;
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`SLUICE_PROPERTY_SEED must be a whole number, got "${text}"`);
  return seed;
}

export class PropertyFailure extends Error {
  constructor(
    readonly property: string,
    readonly seed: number,
    readonly testCase: unknown,
    override readonly cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `property "${property}" failed with seed ${seed} (rerun this case: SLUICE_PROPERTY_SEED=${seed})\n` +
        `case: ${describeCase(testCase)}\n${reason}`,
    );
    this.name = 'PropertyFailure';
  }
}

function describeCase(testCase: unknown): string {
  const text = JSON.stringify(testCase);
  return text.length > 2000 ? `${text.slice(0, 2000)}... (${text.length} characters)` : text;
}
