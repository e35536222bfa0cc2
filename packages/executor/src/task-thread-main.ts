import { workerData } from 'node:worker_threads';
import { traceStartup } from './startup-trace.js';
import type { TaskThreadInit } from './task-thread-messages.js';
import { runWarmUp } from './warm-up.js';

/**
 * The entry of a task thread. The warm-up (the application's slow preparation, such as
 * loading a model) starts first, before the engine's modules load, and goes on while
 * they do and while the executor waits for the driver; then the thread's body
 * (task-thread-runner.ts) loads the job and runs tasks. A task that needs what the
 * warm-up prepares waits for it there (e.g. the process-wide model promise).
 */
const init = workerData as TaskThreadInit;
traceStartup('task thread: started');
if (init.warmUp) {
  void runWarmUp(init.warmUp, (line) => process.stderr.write(`${line}\n`)).then(() => traceStartup('task thread: warm-up done'));
}
await import('./task-thread-runner.js');
