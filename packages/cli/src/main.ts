// Each command imports what it needs when it runs: `sluice submit` (and a driver restarted
// after a crash) launches its executors sooner without loading the web UI (unless --ui or
// an event log asks for it), the tuner or checkpoint inspection first.
import type { LiveUi } from '@sluice/ui';
import { HISTORY_USAGE, MAIN_USAGE, parseHistoryArgs, parseSubmitArgs, SUBMIT_USAGE, type KubernetesCommand } from './cli-options.js';
import { BatchOutcomes } from './batch-outcomes.js';
import { jobFileProblem } from './job-file.js';
import { submit, type SubmitOptions } from './submit.js';
import { usageMistake } from './usage-mistake.js';
import type { StreamingConf } from '@sluice/streaming';

/**
 * A mistake on the command line: the message, then where the options are listed (as
 * sluice-classify and sluice-sender do), so the message is not scrolled away by them.
 */
function fail(message: string, helpCommand: string): number {
  return usageMistake('sluice', message, helpCommand);
}

async function submitCommand(argv: string[]): Promise<number> {
  let cmd;
  try {
    cmd = parseSubmitArgs(argv);
  } catch (err) {
    return fail((err as Error).message, 'sluice submit --help');
  }
  if (cmd.help) {
    process.stdout.write(SUBMIT_USAGE);
    return 0;
  }
  if (!cmd.job) return fail('no job file given', 'sluice submit --help');
  const jobProblem = jobFileProblem(cmd.job);
  if (jobProblem) return fail(jobProblem, 'sluice submit --help');
  let app;
  let ui: LiveUi | null = null;
  const outcomes = new BatchOutcomes();
  try {
    app = await submit({
      job: cmd.job,
      args: cmd.jobArgs,
      conf: cmd.conf,
      checkpointDir: cmd.checkpointDir ?? undefined,
      secretFile: cmd.secretFile ?? undefined,
      tls: cmd.tls.certFile && cmd.tls.keyFile ? { certFile: cmd.tls.certFile, keyFile: cmd.tls.keyFile } : undefined,
      kubernetes: kubernetesOptions(cmd.kubernetes),
      beforeStart: async (ssc) => {
        outcomes.watch(ssc);
        if (!cmd.ui.enabled && !cmd.eventLogDir) return;
        ui = new (await import('@sluice/ui')).LiveUi(ssc, { ui: cmd.ui.enabled, port: cmd.ui.port, host: cmd.ui.host, eventLogDir: cmd.eventLogDir });
        const url = await ui.start();
        if (url) process.stderr.write(`sluice: web UI at ${url}\n`);
        if (ui.eventLogPath) process.stderr.write(`sluice: event log ${ui.eventLogPath}\n`);
      },
    });
  } catch (err) {
    await (ui as LiveUi | null)?.server?.stop();
    process.stderr.write(`sluice: ${(err as Error)?.message ?? err}\n${jobFormatHint(err, cmd.job)}`);
    return 1;
  }
  const { ssc, pool } = app;
  const where = pool
    ? `${pool.executorIds.length} executor(s)`
    : `local mode (${app.backend.totalCores} core(s) in this process)`;
  const connect = pool ? `; executors connect to ${pool.address.host}:${pool.address.port}` : '';
  process.stderr.write(
    `sluice: started ${ssc.conf.appName}: ${where}, batch ${ssc.conf.batchDurationMs} ms, ` +
      `block interval ${ssc.conf.blockIntervalMs} ms, receivers ${receiverPlacementText(ssc.conf)}${connect}\n`,
  );
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`sluice: ${why}; stopping gracefully (Ctrl-C again to stop at once)\n`);
    void ssc.stop({ graceful: true });
  };
  process.on('SIGINT', () => (stopping ? process.exit(130) : stop('interrupted')));
  process.on('SIGTERM', () => stop('terminated'));
  if (cmd.runForMs !== null) setTimeout(() => stop(`--run-for ${cmd.runForMs} ms elapsed`), cmd.runForMs).unref();
  let error: unknown = null;
  try {
    await ssc.awaitTermination();
  } catch (err) {
    error = err;
  } finally {
    await (ui as LiveUi | null)?.stop();
  }
  // The last line says how the run ended; the status lets scripts tell without reading it.
  if (error !== null) {
    process.stderr.write(`sluice: stopped with an error after ${outcomes.describe()}: ${(error as Error)?.message ?? error}\n`);
    return 1;
  }
  process.stderr.write(`sluice: stopped after ${outcomes.describe()}\n`);
  return outcomes.failed > 0 ? 1 : 0;
}

/**
 * Node takes a .ts file for CommonJS unless a package.json above it says "type": "module";
 * a job file written with import/export then fails to load with an error about
 * require() that names neither cause nor cure.
 */
function jobFormatHint(err: unknown, job: string): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code !== 'ERR_REQUIRE_CYCLE_MODULE' && code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') return '';
  return (
    `sluice: ${job} was loaded as CommonJS: no package.json above it says "type": "module". ` +
    `Put a package.json with {"type": "module"} beside it, name it .mts, or keep it inside this repository\n`
  );
}

async function historyCommand(argv: string[]): Promise<number> {
  let cmd;
  try {
    cmd = parseHistoryArgs(argv);
  } catch (err) {
    return fail((err as Error).message, 'sluice history --help');
  }
  if (cmd.help) {
    process.stdout.write(HISTORY_USAGE);
    return 0;
  }
  if (!cmd.dir) return fail('no event log directory given', 'sluice history --help');
  let history;
  try {
    const { startHistoryServer } = await import('@sluice/ui');
    history = await startHistoryServer({ dir: cmd.dir, port: cmd.port, host: cmd.host, appId: cmd.appId });
  } catch (err) {
    process.stderr.write(`sluice: ${(err as Error)?.message ?? err}\n`);
    return 1;
  }
  process.stderr.write(`sluice: history of ${history.appId} at ${history.url} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await history.server.stop();
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'submit':
      return submitCommand(rest);
    case 'tune':
      return (await import('./tune/tune-command.js')).tuneCommand(rest);
    case 'executor':
      return (await import('@sluice/executor')).executorMain(rest);
    case 'checkpoint':
      return (await import('./checkpoint-inspect.js')).checkpointCommand(rest);
    case 'history':
      return historyCommand(rest);
    case undefined:
    case 'help':
    case '-h':
    case '--help':
      process.stdout.write(MAIN_USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`sluice: unknown command "${command}"\n\n${MAIN_USAGE}`);
      return 2;
  }
}

function receiverPlacementText(conf: StreamingConf): string {
  if (conf.receiverPlacement === 'driver') return 'in the driver';
  return `on executors (${conf.blockReplication === 2 ? 'a copy of each block on the driver' : 'blocks kept on one executor only'})`;
}

function kubernetesOptions(k8s: KubernetesCommand): SubmitOptions['kubernetes'] {
  if (k8s.image === null) return undefined;
  const driverPodName = k8s.driverPodName ?? process.env.SLUICE_DRIVER_POD_NAME;
  return {
    image: k8s.image,
    executorEnv: k8s.executorEnv,
    ...(k8s.namespace !== null ? { namespace: k8s.namespace } : {}),
    ...(k8s.kubeconfig !== null ? { kubeconfig: k8s.kubeconfig } : {}),
    ...(k8s.executorMemory !== null ? { executorMemory: k8s.executorMemory } : {}),
    ...(k8s.podTemplateFile !== null ? { podTemplateFile: k8s.podTemplateFile } : {}),
    ...(driverPodName ? { driverPodName } : {}),
  };
}
