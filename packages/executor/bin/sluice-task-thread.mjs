// The entry of an executor's task threads (node:worker_threads): the same code as the
// executor's main thread, built or from the sources, as the executor says in workerData.
import { workerData } from 'node:worker_threads';
import { loadEntry } from '@sluice/protocol/load-entry';

await loadEntry(import.meta.url, 'task-thread-main', { fromSource: workerData?.fromSource === true });
