import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SECRET_ENV } from '@sluice/protocol';
import { warmUpArgs, type ExecutorWarmUp } from './warm-up.js';

const EXECUTOR_BIN = fileURLToPath(new URL('../bin/sluice-executor.mjs', import.meta.url));
const STDERR_LINES_KEPT = 40;

export interface LocalExecutorProcess {
  executorId: string;
  child: ChildProcess;
  /** The executor's last stderr lines, quoted when it dies. */
  recentStderr(): string;
}

/**
 * Starts an executor as a child process of the driver, in a process group of its own
 * (signals meant for the driver's group do not reach it; see below). Its stdout is the driver's (so
 * output printed by tasks shows, as in Spark's local mode); its stderr is prefixed with
 * the executor id and its tail kept for error messages.
 */
export function launchLocalExecutor(
  executorId: string,
  driverHost: string,
  driverPort: number,
  cores: number,
  log: (line: string) => void,
  options: { secret: Uint8Array; tlsCaFile?: string; nodeOptions?: string; warmUp?: ExecutorWarmUp | undefined },
): LocalExecutorProcess {
  const tlsArgs = options.tlsCaFile ? ['--tls-ca', options.tlsCaFile] : [];
  // executorNodeOptions: flags for node itself, before the script (--cpu-prof, heap size).
  const nodeArgs = (options.nodeOptions ?? '').split(/\s+/).filter((a) => a.length > 0);
  const child = spawn(
    process.execPath,
    [...nodeArgs, EXECUTOR_BIN, '--driver', `${driverHost}:${driverPort}`, '--cores', String(cores), '--executor-id', executorId, ...tlsArgs, ...warmUpArgs(options.warmUp)],
    {
      stdio: ['ignore', 'inherit', 'pipe'],
      // The secret goes in the environment, not the command line that `ps` shows everyone.
      env: { ...process.env, [SECRET_ENV]: Buffer.from(options.secret).toString('utf8') },
      // A process group of its own: Ctrl-C in a terminal (or a signal to the driver's
      // group) reaches the driver only, which then stops gracefully, its executors still
      // working off the last batches. An executor leaves by itself when the driver is gone.
      detached: true,
    },
  );
  const tail: string[] = [];
  let partial = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      tail.push(line);
      if (tail.length > STDERR_LINES_KEPT) tail.shift();
      log(`[executor ${executorId}] ${line}`);
    }
  });
  return { executorId, child, recentStderr: () => tail.join('\n') };
}
