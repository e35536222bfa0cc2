import { parseArgs } from 'node:util';
import { Executor } from './executor';

const USAGE = `Usage: sluice-executor --driver <host:port> [--cores N] [--executor-id ID]

Starts an executor that connects to a Sluice driver, loads the driver's job module and
runs its tasks, up to --cores N at once, each in a task thread of its own. The driver
prints its executor address when it starts (see \`sluice submit --driver-host/--driver-port\`);
the job file must be readable here at the same path.
`;

export async function executorMain(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      driver: { type: 'string' },
      cores: { type: 'string', default: '1' },
      'executor-id': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
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
  const executor = new Executor({
    driverHost: match[1]!,
    driverPort: Number(match[2]),
    cores,
    executorId: values['executor-id'],
  });
  return executor.start();
}
