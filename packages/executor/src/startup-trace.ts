/**
 * SLUICE_STARTUP_TRACE=1: executors and their task threads say on stderr when each step
 * of their start-up ends, as `startup-trace <ms since the epoch> <step>`, so that a
 * tool can lay the processes' steps on one clock (`npm run bench -- classify-startup`).
 */
const enabled = process.env.SLUICE_STARTUP_TRACE === '1';

export function traceStartup(step: string, at = Date.now()): void {
  if (enabled) process.stderr.write(`startup-trace ${at} ${step}\n`);
}
