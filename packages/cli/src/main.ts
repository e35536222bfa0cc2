import { executorMain } from '@sluice/executor';
import { MAIN_USAGE, parseSubmitArgs, SUBMIT_USAGE } from './cli-options';
import { submit } from './submit';
import { checkpointCommand } from './checkpoint-inspect';
import type { StreamingConf } from '@sluice/streaming';

function fail(message: string, usage: string): number {
  process.stderr.write(`sluice: ${message}\n\n${usage}`);
  return 2;
}

async function submitCommand(argv: string[]): Promise<number> {
  let cmd;
  try {
    cmd = parseSubmitArgs(argv);
  } catch (err) {
    return fail((err as Error).message, SUBMIT_USAGE);
  }
  if (cmd.help) {
    process.stdout.write(SUBMIT_USAGE);
    return 0;
  }
  if (!cmd.job) return fail('no job file given', SUBMIT_USAGE);
  let app;
  try {
    app = await submit({ job: cmd.job, args: cmd.jobArgs, conf: cmd.conf, checkpointDir: cmd.checkpointDir ?? undefined });
  } catch (err) {
    process.stderr.write(`sluice: ${(err as Error)?.message ?? err}\n`);
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
  try {
    await ssc.awaitTermination();
  } catch (err) {
    process.stderr.write(`sluice: ${(err as Error)?.message ?? err}\n`);
    return 1;
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'submit':
      return submitCommand(rest);
    case 'executor':
      return executorMain(rest);
    case 'checkpoint':
      return checkpointCommand(rest);
    case undefined:
    case 'help':
    case '-h':
    case '--help':
      process.stdout.write(MAIN_USAGE);
      return command === undefined ? 2 : 0;
    default:
      return fail(`unknown command "${command}"`, MAIN_USAGE);
  }
}

function receiverPlacementText(conf: StreamingConf): string {
  if (conf.receiverPlacement === 'driver') return 'in the driver';
  return `on executors (${conf.blockReplication === 2 ? 'a copy of each block on the driver' : 'blocks kept on one executor only'})`;
}
