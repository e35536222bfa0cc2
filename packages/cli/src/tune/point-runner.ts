import { JobSession, type JobSpec, type TrialResult } from './trial.js';

export interface RunnerTiming {
  warmupBatches: number;
  windowBatches: number;
  startupMs: number;
  deadline: number;
}

/**
 * Measures one grid point at rate after rate, keeping the job running while it keeps up
 * and starting it afresh after a rate it could not sustain.
 */
export class PointRunner {
  private session: JobSession | null = null;

  constructor(
    private readonly spec: JobSpec,
    private readonly timing: RunnerTiming,
  ) {}

  /** The longest the next measurement can take: a fresh start adds the start-up allowance. */
  nextMeasureMs(windowBatches = this.timing.windowBatches): number {
    const fresh = this.session === null;
    const warmup = fresh ? this.timing.warmupBatches : 1;
    return (fresh ? this.timing.startupMs : 0) + (warmup + windowBatches + 3) * this.spec.point.batchMs;
  }

  async measure(rate: number, windowBatches = this.timing.windowBatches): Promise<TrialResult> {
    const fresh = this.session === null;
    this.session ??= await JobSession.start(this.spec, rate);
    const result = await this.session.measure({
      rate,
      // A running job is warm already; one batch lets the previous rate's last batch go.
      warmupBatches: fresh ? this.timing.warmupBatches : 1,
      windowBatches,
      deadline: this.timing.deadline,
      startupMs: this.timing.startupMs,
    });
    if (!result.sustained) await this.stop();
    return result;
  }

  async stop(): Promise<void> {
    const s = this.session;
    this.session = null;
    await s?.stop();
  }
}
