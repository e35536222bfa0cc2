// The entry of an executor's task threads (node:worker_threads): TypeScript sources run
// through tsx, as in the executor's main thread.
import { register } from 'tsx/esm/api';

register();
await import('../src/task-thread-main.ts');
