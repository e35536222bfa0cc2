import type { StreamingContext } from '@sluice/streaming';
import type { SeededRandom } from '@sluice/protocol';

/** How a run is timed: every family of a combined run shares it. */
export interface Timing {
  batchMs: number;
  numBatches: number;
}

/**
 * A family of operators checked together against the reference model: a random case,
 * the job that runs the operators over it (one collectOutput per operator), and the check
 * of their outputs. Families can run alone (local mode, many cases) or several in one job
 * (executor processes, few cases), so a job is built from the case alone.
 */
export interface OperatorFamily<C> {
  readonly name: string;
  /** How many streams build() collects. */
  readonly outputs: number;
  generate(random: SeededRandom, timing: Timing): C;
  /** Registers the operators' streams, each with collectOutput (`outputs` of them). */
  build(ssc: StreamingContext, testCase: C): void;
  /** Throws when an output differs from the reference model; `outputs` are this family's. */
  check(testCase: C, timing: Timing, outputs: unknown[][][]): void;
}

export function randomTiming(random: SeededRandom, maxBatches = 8): Timing {
  return { batchMs: random.pick([100, 250, 1000, 2000]), numBatches: random.int(1, maxBatches) };
}
