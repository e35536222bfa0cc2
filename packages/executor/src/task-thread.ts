import { fileURLToPath } from 'node:url';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import type { FromTaskThread, TaskThreadInit, TaskThreadOutcome, TaskThreadSetup, ToTaskThread } from './task-thread-messages.js';

const ENTRY = fileURLToPath(new URL('../bin/sluice-task-thread.mjs', import.meta.url));

/**
 * Starts a task thread of this executor. Native TensorFlow in a task thread gets one
 * intra-op thread (the executor's cores are its task threads), unless the user set it.
 * Native add-ons read the process's real environment, which only the main thread can
 * change (a worker's process.env is a copy they never see), so it is set here; and the
 * threads share this environment (SHARE_ENV), so that what their code sets for native
 * code before loading it (as TensorFlow's log level) reaches it too.
 */
export function startTaskThread(init: TaskThreadInit): TaskThread {
  process.env.TF_NUM_INTRAOP_THREADS ??= '1';
  return new TaskThread(init, SHARE_ENV);
}

/** Why a task thread gave no outcome for its task. */
export class TaskThreadGone extends Error {
  constructor(
    message: string,
    /** True when the executor killed the task (KillTask, stop); false when the thread died. */
    readonly killed: boolean,
  ) {
    super(message);
    this.name = killed ? 'TaskKilled' : 'TaskThreadDied';
  }
}

/**
 * The main thread's handle on one task thread (a node:worker_threads Worker running
 * task-thread-main.ts, then task-thread-runner.ts): starts it, posts it one task at a
 * time and kills it. Killing is terminating the thread, which stops even a synchronous
 * loop in user code; the owner then starts a fresh thread in its place.
 */
export class TaskThread {
  private readonly worker: Worker;
  /** Resolves with the graph signature once the job module is loaded; rejects if it cannot be. */
  readonly ready: Promise<string>;
  private current: { taskId: number; startedAt: number; resolve: (o: TaskThreadOutcome) => void; reject: (e: Error) => void } | null = null;
  private goneReason: TaskThreadGone | null = null;
  private readonly exited: Promise<void>;

  /** Without a setup in `init`, the thread waits for configure() before it loads the job. */
  constructor(init: TaskThreadInit, env: NodeJS.ProcessEnv | typeof SHARE_ENV) {
    this.worker = new Worker(ENTRY, { workerData: init, env, stdout: false, stderr: false });
    let onReady!: (signature: string) => void;
    let onFailed!: (err: Error) => void;
    this.ready = new Promise<string>((resolve, reject) => {
      onReady = resolve;
      onFailed = reject;
    });
    // A rejection nobody awaits yet (the thread died while the executor did other things).
    this.ready.catch(() => undefined);
    this.worker.on('message', (msg: FromTaskThread) => {
      if (msg.type === 'ready') onReady(msg.graphSignature);
      else if (msg.type === 'loadFailed') onFailed(new Error(msg.reason));
      else if (msg.type === 'finished' && this.current?.taskId === msg.taskId) {
        const { resolve } = this.current;
        this.current = null;
        const { type: _type, ...outcome } = msg;
        resolve(outcome);
      }
    });
    // An error no task caught (a rejection left unhandled by user code, out of memory).
    this.worker.on('error', (err) => {
      this.goneReason ??= new TaskThreadGone(`the task thread died: ${err.stack ?? err.message}`, false);
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.goneReason ??= new TaskThreadGone(`the task thread exited with code ${code}`, false);
        onFailed(this.goneReason);
        this.current?.reject(this.goneReason);
        this.current = null;
        resolve();
      });
    });
  }

  get busy(): boolean {
    return this.current !== null;
  }

  get alive(): boolean {
    return this.goneReason === null;
  }

  /** The running task and since when (performance.now()), or null. */
  get running(): { taskId: number; startedAt: number } | null {
    return this.current && { taskId: this.current.taskId, startedAt: this.current.startedAt };
  }

  /** Runs one task; rejects with TaskThreadGone if the thread is killed or dies meanwhile. */
  run(message: Extract<ToTaskThread, { type: 'run' }>, transfer: ArrayBuffer[]): Promise<TaskThreadOutcome> {
    if (this.current) throw new Error(`task thread is busy with task ${this.current.taskId}`);
    if (this.goneReason) return Promise.reject(this.goneReason);
    return new Promise((resolve, reject) => {
      this.current = { taskId: message.taskId, startedAt: performance.now(), resolve, reject };
      this.worker.postMessage(message, transfer);
    });
  }

  /** Sends the job to a thread started without it; `ready` resolves once it is loaded. */
  configure(setup: TaskThreadSetup): void {
    this.post({ type: 'setup', setup });
  }

  post(message: ToTaskThread): void {
    if (!this.goneReason) this.worker.postMessage(message);
  }

  /** Stops the thread at once, whatever it runs; its task (if any) rejects as killed. */
  kill(reason: string): Promise<void> {
    this.goneReason ??= new TaskThreadGone(reason, true);
    void this.worker.terminate();
    return this.exited;
  }
}
