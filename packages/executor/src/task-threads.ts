import { CacheHolders } from './cache-holders.js';
import { startTaskThread, type TaskThread } from './task-thread.js';
import type { TaskThreadSetup } from './task-thread-messages.js';
import type { ExecutorWarmUp } from './warm-up.js';

/**
 * An executor's `cores` task threads. Each runs one task at a time, so `cores` tasks run
 * truly in parallel while the main thread (driver connection, heartbeats, block server,
 * shuffle fetches, receivers) is never blocked by user code. A thread killed with its
 * task (KillTask, a stuck task) or dead of an error is replaced by a fresh one, which
 * loads the job module again before it takes tasks.
 *
 * The threads can start before the executor has registered (prestart): they load the
 * engine and run the application's warm-up (see ExecutorWarmUp) while the driver starts,
 * and load the job once start() hands it over.
 */
export class TaskThreads {
  private readonly threads: TaskThread[] = [];
  private readonly usable: boolean[] = [];
  /** Threads handed out by idle() whose task is not finished (it may still be fetching its input). */
  private readonly claimed = new Set<TaskThread>();
  readonly cache = new CacheHolders();
  private closed = false;
  private setup: TaskThreadSetup | null = null;

  constructor(
    private readonly count: number,
    private readonly log: (line: string) => void,
    /** A thread became free or usable: queued tasks can go. */
    private readonly onIdle: () => void,
    /** A replacement thread could not load the job: the executor cannot go on. */
    private readonly onFatal: (reason: string) => void,
    /** Run by the threads prestart() starts, before the job comes. */
    private readonly warmUp: ExecutorWarmUp | null = null,
  ) {}

  /**
   * Starts every thread before the job is known: each loads the engine and runs the
   * warm-up. `started`: threads already started (by executorMain, before it loaded the
   * engine), taken as they are.
   */
  prestart(started: TaskThread[] = []): void {
    if (this.threads.length > 0) return;
    for (let i = 0; i < this.count; i++) {
      this.threads.push(started[i] ?? this.spawn());
      this.usable.push(false);
    }
  }

  /** Gives every thread the job (starting them first unless prestarted); resolves with the graph signature they all built. */
  async start(setup: TaskThreadSetup): Promise<string> {
    const prestarted = this.threads.length > 0;
    this.setup = setup;
    if (!prestarted) this.prestart();
    for (let i = 0; prestarted && i < this.threads.length; i++) {
      // One that died while it waited (its warm-up left an error nobody caught) starts afresh, with the job.
      if (this.threads[i]!.alive) this.threads[i]!.configure(setup);
      else this.threads[i] = this.spawn();
    }
    const signatures = await Promise.all(this.threads.map((t) => t.ready));
    const differing = signatures.find((s) => s !== signatures[0]);
    if (differing !== undefined) throw new Error('the task threads of this executor built different DStream graphs from the same job module');
    this.usable.fill(true);
    return signatures[0] ?? '';
  }

  /** Claims a thread ready for a task (give it back with release()); null if none is. */
  claim(): { thread: TaskThread; index: number } | null {
    const free = this.idle();
    if (free) this.claimed.add(free.thread);
    return free;
  }

  release(thread: TaskThread): void {
    this.claimed.delete(thread);
  }

  private idle(): { thread: TaskThread; index: number } | null {
    for (let i = 0; i < this.threads.length; i++) {
      const thread = this.threads[i]!;
      if (!this.usable[i]) continue;
      // Died between tasks (an error user code left behind): start a fresh one.
      if (!thread.alive) void this.replace(i, 'the task thread died between tasks');
      else if (!thread.busy && !this.claimed.has(thread)) return { thread, index: i };
    }
    return null;
  }

  /** The thread running task `taskId`. */
  find(taskId: number): { thread: TaskThread; index: number } | null {
    const index = this.threads.findIndex((t) => t.running?.taskId === taskId);
    return index < 0 ? null : { thread: this.threads[index]!, index };
  }

  /** Running tasks and how long they have run, for the heartbeat. */
  running(): { taskId: number; runningMs: number }[] {
    const now = performance.now();
    return this.threads.flatMap((t) => (t.running ? [{ taskId: t.running.taskId, runningMs: now - t.running.startedAt }] : []));
  }

  batchDone(batchTime: number, cachedUpTo: number): void {
    this.cache.removeBatchesUpTo(cachedUpTo);
    for (const t of this.threads) t.post({ type: 'batchDone', batchTime, cachedUpTo });
  }

  /**
   * Kills thread `index` (and the task it runs) and starts a fresh one in its place. Also
   * called for a thread that died by itself.
   */
  async replace(index: number, reason: string): Promise<void> {
    const old = this.threads[index];
    if (!old) return;
    this.usable[index] = false;
    this.cache.threadGone(index);
    await old.kill(reason);
    if (this.closed) return;
    const fresh = this.spawn();
    this.threads[index] = fresh;
    fresh.ready.then(
      () => {
        if (this.threads[index] !== fresh) return;
        this.usable[index] = true;
        this.onIdle();
      },
      (err: Error) => {
        if (!this.closed) this.onFatal(`a replacement task thread could not start: ${err.message}`);
      },
    );
  }

  /** Kills every thread and their tasks (the executor is stopping). */
  async close(reason: string): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.kill(reason)));
  }

  private spawn(): TaskThread {
    // A thread started with its job warms up by loading it; the warm-up is for the wait before.
    const thread = startTaskThread({ setup: this.setup, warmUp: this.setup ? null : this.warmUp });
    thread.ready.catch((err: Error) => {
      if (!this.closed && this.usable.some((u) => u)) this.log(`executor: a task thread failed to start: ${err.message}`);
    });
    return thread;
  }
}
