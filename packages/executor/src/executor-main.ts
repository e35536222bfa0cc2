import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { traceStartup } from './startup-trace.js';
import { startTaskThread } from './task-thread.js';
import { parseWarmUpArgs, type ExecutorWarmUp } from './warm-up.js';

// This module imports only what it needs to start the task threads: the engine (the
// protocol, the executor) loads after, while the threads load theirs and warm up.

const usage = (SECRET_ENV: string) => `Usage: sluice executor --driver <host:port> [--secret-file FILE] [options]

Starts an executor that connects to a Sluice driver, authenticates with the shared secret,
receives the job (the driver ships it as a bundle, cached here by its hash) and runs its
tasks, up to --cores N at once, each in a task thread of its own. The driver prints its
executor address when it starts (see \`sluice submit --driver-host/--driver-port\`).

Options:
  --driver HOST:PORT     the driver's executor address (required)
  --secret-file FILE     the shared secret (the same as the driver's); default: the
                         ${SECRET_ENV} environment variable
  --tls                  connect with TLS, trusting the system's certificate authorities
  --tls-ca FILE          connect with TLS, trusting this CA or self-signed certificate (PEM)
  --cores N              tasks run at once, in N task threads (default: 1)
  --executor-id ID       the id to register with (default: the driver assigns one)
  --warm-up MODULE       run MODULE's \`warmUp(args)\` export in every task thread as it
                         starts, before the driver sends the job: the application's slow
                         start-up (e.g. loading a model) then overlaps the driver's
  --warm-up-args JSON    the arguments for it, a JSON array of strings (default: [])
  -h, --help             show this help

Environment: ${SECRET_ENV} (the secret), SLUICE_JOB_CACHE (where job bundles are kept;
default jobs/ in SLUICE_CACHE_DIR, whose default is ~/.cache/sluice).
`;

/** The usage text names the secret's environment variable, which the protocol package defines. */
async function printUsage(to: NodeJS.WriteStream, before = ''): Promise<void> {
  const { SECRET_ENV } = await import('@sluice/protocol');
  to.write(before + usage(SECRET_ENV));
}

export async function executorMain(argv: string[]): Promise<number> {
  traceStartup('executor: process started', Math.round(performance.timeOrigin));
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        driver: { type: 'string' },
        cores: { type: 'string', default: '1' },
        'executor-id': { type: 'string' },
        'secret-file': { type: 'string' },
        tls: { type: 'boolean' },
        'tls-ca': { type: 'string' },
        'warm-up': { type: 'string' },
        'warm-up-args': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    await printUsage(process.stderr, `sluice-executor: ${(err as Error).message}\n\n`);
    return 2;
  }
  if (values.help) {
    await printUsage(process.stdout);
    return 0;
  }
  const match = /^(.+):(\d+)$/.exec(values.driver ?? '');
  if (!match) {
    await printUsage(process.stderr, `sluice-executor: --driver <host:port> is required\n\n`);
    return 2;
  }
  const cores = Number(values.cores);
  if (!Number.isInteger(cores) || cores < 1) {
    process.stderr.write(`sluice-executor: --cores must be a positive integer\n`);
    return 2;
  }
  let warmUp: ExecutorWarmUp | null = null;
  try {
    if (values['warm-up'] !== undefined) warmUp = { module: values['warm-up'], args: parseWarmUpArgs(values['warm-up-args']) };
  } catch (err) {
    process.stderr.write(`sluice-executor: ${(err as Error).message}\n`);
    return 2;
  }
  // The task threads start first: each loads the engine and runs the warm-up (a model)
  // while this thread loads its own modules and reaches the driver.
  const threads = Array.from({ length: cores }, () => startTaskThread({ setup: null, warmUp }));
  const { readSecret, SECRET_ENV } = await import('@sluice/protocol');
  const { Executor } = await import('./executor.js');
  traceStartup('executor: modules loaded');
  const failed = async (message: string) => {
    process.stderr.write(`sluice-executor: ${message}\n`);
    await Promise.all(threads.map((t) => t.kill('the executor could not start')));
    return 2;
  };
  let secret: Buffer | null;
  let ca: Buffer | undefined;
  try {
    secret = readSecret(values['secret-file']);
    if (values['tls-ca'] !== undefined) ca = readFileSync(values['tls-ca']);
  } catch (err) {
    return failed((err as Error).message);
  }
  if (secret === null) return failed(`no secret: give the driver's with --secret-file FILE or the ${SECRET_ENV} environment variable`);
  const executor = new Executor({
    driverHost: match[1]!.replace(/^\[(.*)\]$/, '$1'),
    driverPort: Number(match[2]),
    cores,
    executorId: values['executor-id'],
    secret,
    tls: values.tls || ca ? { ca } : undefined,
    announce: true,
    taskThreads: threads,
  });
  return executor.start();
}
