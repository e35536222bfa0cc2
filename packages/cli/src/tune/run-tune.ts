import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { defaultGrid, gridPoints, narrowGrid, pointLabel, type Grid, type GridPoint } from './grid.js';
import { searchMaxRate, type PointResult } from './rate-search.js';
import { imageFrames, textLines, type RecordCycle } from './records.js';
import { recommend, type Goal, type Recommendation } from './recommend.js';
import { describePoint, resultsTable, trialLine, unitOf } from './report-table.js';
import { PointRunner } from './point-runner.js';
import { gridSearchMs, STARTUP_MS } from './search-estimate.js';
import { jobArgsOf, submitArgs, type TrialResult } from './trial.js';
import type { TuneCommand } from './tune-options.js';

/** Kept free at the end of the budget for writing the results and the plot. */
const FINISH_MS = 2_000;

export interface TuneReport {
  job: string;
  jobArgs: string[];
  source: 'text' | 'images';
  unit: string;
  goal: Goal;
  budgetMs: number;
  elapsedMs: number;
  machine: { cpus: number; loadAtStart: number[]; loadAtEnd: number[] };
  grid: Grid;
  /** Configurations measured, in the order they were. */
  results: PointResult[];
  /** Configurations the budget left unmeasured. */
  notCovered: GridPoint[];
  recommendation: (Recommendation & { submit: string }) | null;
  /** The recommended configuration run again at its rate, for longer. */
  verification: TrialResult | null;
}

/** `sluice tune`: searches the grid within the budget, prints as it goes, writes JSON and a plot. */
export async function runTune(cmd: TuneCommand, log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<TuneReport> {
  const started = Date.now();
  const deadline = started + cmd.budgetMs - FINISH_MS;
  const records: RecordCycle = cmd.source === 'text' ? textLines() : imageFrames(cmd.imagesDir!);
  const unit = unitOf(cmd.source);
  const grid = narrowGrid(defaultGrid(cmd.source), cmd.grid);
  const points = gridPoints(grid, cmd.source);
  const goal: Goal = cmd.goal === 'latency' ? { kind: 'latency', rate: cmd.rate! } : { kind: 'throughput' };
  const job = resolve(cmd.job);
  const startupMs = STARTUP_MS[cmd.source];
  const trialMs = (p: GridPoint) => startupMs + (cmd.warmupBatches + cmd.windowBatches + 3) * p.batchMs;
  const verifyBatches = (p: GridPoint) => Math.max(cmd.windowBatches, Math.ceil(cmd.verifyMs / p.batchMs));
  const longestBatch = Math.max(...grid.batchMs);
  // The verification's time is kept back from the search, but never more than a quarter
  // of the budget: with a small budget the search comes first, and the verification runs
  // only if it still fits.
  const verifyReserve = cmd.verifyMs > 0 ? Math.min(startupMs + (cmd.warmupBatches + 3) * longestBatch + cmd.verifyMs, cmd.budgetMs / 4) : 0;
  const searchDeadline = deadline - verifyReserve;
  const report: TuneReport = {
    job: cmd.job,
    jobArgs: cmd.jobArgs,
    source: cmd.source,
    unit,
    goal,
    budgetMs: cmd.budgetMs,
    elapsedMs: 0,
    machine: { cpus: cpus().length, loadAtStart: loadavg(), loadAtEnd: [] },
    grid,
    results: [],
    notCovered: [],
    recommendation: null,
    verification: null,
  };
  const outputPath = resolve(cmd.output);
  const plotPath = resolve(cmd.plot ?? outputPath.replace(/\.json$/i, '') + '.png');
  const save = () => {
    report.elapsedMs = Date.now() - started;
    report.machine.loadAtEnd = loadavg();
    writeFileSync(outputPath, JSON.stringify(report, null, 2) + '\n');
  };
  log(`sluice tune: ${points.length} configurations of ${cmd.job}, budget ${Math.round(cmd.budgetMs / 1000)} s, goal ${goalText(goal, unit)}`);
  const needMs = gridSearchMs(points, { startupMs, warmupBatches: cmd.warmupBatches, windowBatches: cmd.windowBatches, precision: cmd.precision, verifyMs: cmd.verifyMs });
  if (needMs > cmd.budgetMs) {
    log(
      `the grid needs about ${Math.round(needMs / 1000)} s to narrow every rate to ${Math.round(cmd.precision * 100)}%, more than the budget: ` +
        'some rates will stay coarse (marked *) or configurations unmeasured (listed at the end); raise --budget or narrow --grid',
    );
  }
  const runnerOf = (point: GridPoint, until: number) =>
    new PointRunner(
      { job, jobArgs: cmd.jobArgs, submitOptions: cmd.submitOptions, point, records },
      { warmupBatches: cmd.warmupBatches, windowBatches: cmd.windowBatches, startupMs, deadline: until },
    );

  let lastFound = 0;
  for (const [i, point] of points.entries()) {
    const share = (searchDeadline - Date.now()) / (points.length - i);
    const pointDeadline = Math.min(searchDeadline, Date.now() + Math.max(share, trialMs(point)));
    // A configuration whose trial cannot finish in what is left is reported, not started.
    if (Date.now() + trialMs(point) > pointDeadline) {
      report.notCovered.push(point);
      continue;
    }
    const label = pointLabel(point);
    log(`[${i + 1}/${points.length}] ${label}`);
    const runner = runnerOf(point, pointDeadline);
    const result = await searchMaxRate(point, {
      startRate: goal.kind === 'latency' ? goal.rate : lastFound || cmd.startRate || (cmd.source === 'text' ? 2000 : 4),
      precision: cmd.precision,
      minRate: cmd.source === 'text' ? 1 : 0.2,
      deadline: pointDeadline,
      trialMs: () => runner.nextMeasureMs(),
      runTrial: (rate) => runner.measure(rate),
      onTrial: (t) => log(trialLine(label, t, unit)),
    }).finally(() => runner.stop());
    if (result.trials.length === 0) {
      report.notCovered.push(point);
      continue;
    }
    if (result.maxRate > 0) lastFound = result.maxRate;
    report.results.push(result);
    log(resultsTable(report.results, unit));
    save();
  }
  if (report.notCovered.length > 0) {
    log(`the budget left ${report.notCovered.length} configuration(s) unmeasured: ${report.notCovered.map(pointLabel).join('; ')}`);
  }

  const rec = recommend(report.results, goal);
  if (rec) {
    const submit = ['sluice submit', ...[...submitArgs(rec.point, cmd.submitOptions), cmd.job, ...jobArgsOf({ point: rec.point, jobArgs: cmd.jobArgs }, 'HOST', 'PORT')].map(shellWord)].join(' ');
    report.recommendation = { ...rec, submit };
    log(`recommended for ${goalText(goal, unit)}: ${describePoint(rec.point)} (${rec.why})`);
    log(`  ${submit}`);
    const windowBatches = verifyBatches(rec.point);
    if (cmd.verifyMs > 0 && Date.now() + startupMs + (cmd.warmupBatches + windowBatches + 3) * rec.point.batchMs <= deadline) {
      log(`verifying: the recommended configuration at ${rec.rate} ${unit}/s for ${windowBatches} batches`);
      const runner = runnerOf(rec.point, deadline);
      report.verification = await runner.measure(rec.rate, windowBatches).finally(() => runner.stop());
      log(trialLine('verification', report.verification, unit));
    } else if (cmd.verifyMs > 0) {
      log('verification skipped: not enough budget left');
    }
  } else {
    log(`no configuration sustained ${goal.kind === 'latency' ? `${goal.rate} ${unit}/s` : 'any rate tried'}`);
  }
  save();
  // Vega and sharp load only when a plot is drawn: every sluice command imports this package.
  const { writePlot } = await import('./plot.js');
  await writePlot(plotPath, report.results, unit);
  log(`results: ${outputPath}\nplot: ${plotPath}\n(${Math.round((Date.now() - started) / 1000)} s of the ${Math.round(cmd.budgetMs / 1000)} s budget)`);
  return report;
}

function goalText(goal: Goal, unit: string): string {
  return goal.kind === 'throughput' ? 'the highest sustained rate' : `the lowest latency at ${goal.rate} ${unit}/s`;
}

/** Quotes a word for a POSIX shell when it needs it. */
function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`;
}
