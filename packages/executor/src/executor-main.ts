import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readSecret, SECRET_ENV } from '@sluice/protocol';
import { Executor } from './executor.js';

const USAGE = `Usage: sluice executor --driver <host:port> [--secret-file FILE] [options]

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
  -h, --help             show this help

Environment: ${SECRET_ENV} (the secret), SLUICE_JOB_CACHE (where job bundles are kept;
default ~/.cache/sluice/jobs).
`;

export async function executorMain(argv: string[]): Promise<number> {
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
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    process.stderr.write(`sluice-executor: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const match = /^(.+):(\d+)$/.exec(values.driver ?? '');
  if (!match) {
    process.stderr.write(`sluice-executor: --driver <host:port> is required\n\n${USAGE}`);
    return 2;
  }
  const cores = Number(values.cores);
  if (!Number.isInteger(cores) || cores < 1) {
    process.stderr.write(`sluice-executor: --cores must be a positive integer\n`);
    return 2;
  }
  let secret: Buffer | null;
  let ca: Buffer | undefined;
  try {
    secret = readSecret(values['secret-file']);
    if (values['tls-ca'] !== undefined) ca = readFileSync(values['tls-ca']);
  } catch (err) {
    process.stderr.write(`sluice-executor: ${(err as Error).message}\n`);
    return 2;
  }
  if (secret === null) {
    process.stderr.write(
      `sluice-executor: no secret: give the driver's with --secret-file FILE or the ${SECRET_ENV} environment variable\n`,
    );
    return 2;
  }
  const executor = new Executor({
    driverHost: match[1]!.replace(/^\[(.*)\]$/, '$1'),
    driverPort: Number(match[2]),
    cores,
    executorId: values['executor-id'],
    secret,
    tls: values.tls || ca ? { ca } : undefined,
    announce: true,
  });
  return executor.start();
}
