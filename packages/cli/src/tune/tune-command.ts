import { runTune } from './run-tune.js';
import { parseTuneArgs, TUNE_USAGE, type TuneCommand } from './tune-options.js';
import { jobFileProblem } from '../job-file.js';
import { usageMistake } from '../usage-mistake.js';

/** `sluice tune ...`: returns the exit status (0 done, 1 failure, 2 command-line mistake). */
export async function tuneCommand(argv: string[]): Promise<number> {
  let cmd: TuneCommand;
  try {
    cmd = parseTuneArgs(argv);
  } catch (err) {
    return usageMistake('sluice tune', (err as Error).message, 'sluice tune --help');
  }
  if (cmd.help) {
    process.stdout.write(TUNE_USAGE);
    return 0;
  }
  // Else every trial would fail on it, and tune would report a grid of failed rates.
  const jobProblem = jobFileProblem(cmd.job);
  if (jobProblem) return usageMistake('sluice tune', jobProblem, 'sluice tune --help');
  exitOnSignals(cmd.output);
  try {
    const report = await runTune(cmd);
    return report.recommendation ? 0 : 1;
  } catch (err) {
    process.stderr.write(`sluice tune: ${(err as Error)?.message ?? err}\n`);
    return 1;
  }
}

/**
 * Ctrl-C or SIGTERM ends tune at once; exiting stops the jobs it started (see trial.ts),
 * and the JSON already holds every configuration finished.
 */
export function exitOnSignals(output: string): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`sluice tune: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}; ${output} holds the configurations measured so far\n`);
      process.exit(130);
    });
  }
}
