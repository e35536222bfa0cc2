import { jobSettingsOf } from './cli/command-settings.js';
import { parseClassifyArgs, type ClassifyCommand } from './cli/parse-options.js';
import { USAGE } from './cli/usage.js';
import { runClassifier } from './run/run-classifier.js';

/** sluice-classify: returns the exit status (0 done, 1 failure, 2 command-line mistake). */
export async function main(argv: string[]): Promise<number> {
  // Startup is measured from the launch of the process, module loading included.
  const launchedAt = performance.timeOrigin;
  // The demo and tune load what a plain run does not (the demo's photos come through
  // @sluice/vision, which loads TensorFlow.js): imported only when asked for, so that the
  // executors of a plain run start sooner.
  if (argv[0] === 'tune') return (await import('./cli/tune-command.js')).classifyTune(argv.slice(1));
  let cmd: ClassifyCommand;
  try {
    cmd = parseClassifyArgs(argv);
  } catch (err) {
    process.stderr.write(`sluice-classify: ${(err as Error).message}\n(sluice-classify --help lists the options)\n`);
    return 2;
  }
  if (cmd.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    if (cmd.demoImages !== null) return await (await import('./demo/run-demo.js')).runDemo(cmd, cmd.demoImages, launchedAt);
    const { summary, failure, ui } = await runClassifier({
      settings: jobSettingsOf(cmd, cmd.source!),
      conf: cmd.conf,
      count: cmd.count,
      runForMs: cmd.runForMs,
      summaryJsonPath: cmd.summaryJsonPath,
      launchedAt,
      handleSignals: true,
      ui: cmd.ui,
    });
    await ui?.stop();
    return failure || summary.failed_batches > 0 ? 1 : 0;
  } catch (err) {
    process.stderr.write(`sluice-classify: ${(err as Error)?.message ?? err}\n`);
    return 1;
  }
}
