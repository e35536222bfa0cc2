import { AsyncLocalStorage } from 'node:async_hooks';
import { deserialize, serialize } from 'node:v8';

/** A broadcast value as a task carries it: the version the driver had for the task's batch. */
export interface BroadcastValue {
  id: number;
  version: number;
  /** v8.serialize of the value. */
  bytes: Uint8Array;
}

/** The broadcast values of the task running in this async context (executors, local mode). */
const taskValues = new AsyncLocalStorage<Map<number, unknown>>();

/** Decoded values, one per broadcast: the latest version this process has seen. */
const decoded = new Map<number, { version: number; value: unknown }>();

/**
 * Runs `fn` (a task) with the broadcast values it carries visible to `Broadcast.value`.
 * Each version is deserialized once per process, not once per task.
 */
export function withTaskBroadcasts<R>(values: readonly BroadcastValue[], fn: () => R): R {
  if (values.length === 0) return fn();
  const map = new Map<number, unknown>();
  for (const b of values) {
    let entry = decoded.get(b.id);
    if (entry?.version !== b.version) {
      entry = { version: b.version, value: deserialize(b.bytes) };
      decoded.set(b.id, entry);
    }
    map.set(b.id, entry.value);
  }
  return taskValues.run(map, fn);
}

/**
 * A value the driver decides and tasks read (Spark's broadcast variable), made with
 * `ssc.broadcast(initial)` in the job function. `value` is, in a task, the value the
 * driver had when the task's batch was generated (it travels with the task, serialized
 * once per version); on the driver, the value of the batch being generated or run, else
 * the latest. `update(v)` on the driver changes it for the batches generated from then
 * on; on executors (which replay foreachRDD functions up to an action) it does nothing:
 * their values always come from the driver.
 */
export class Broadcast<T> {
  private latest: T;
  private version = 0;
  private latestBytes: Uint8Array | null = null;
  /** Driver: the version each generated batch took, until the batch is forgotten. */
  private readonly byBatch = new Map<number, { version: number; value: T; bytes: Uint8Array }>();

  constructor(
    readonly id: number,
    initial: T,
    private readonly mode: 'driver' | 'executor',
    private readonly batchTimeNow: () => number | undefined,
  ) {
    this.latest = initial;
  }

  get value(): T {
    const task = taskValues.getStore();
    if (task?.has(this.id)) return task.get(this.id) as T;
    const time = this.batchTimeNow();
    if (time !== undefined) {
      const snapshot = this.byBatch.get(time);
      if (snapshot) return snapshot.value;
    }
    return this.latest;
  }

  /** Driver: the value for batches generated from now on. Ignored on executors. */
  update(value: T): void {
    if (this.mode !== 'driver') return;
    this.latest = value;
    this.version++;
    this.latestBytes = null;
  }

  /** Driver, when batch `time` is generated: fixes the value its tasks get. */
  snapshot(time: number): BroadcastValue {
    this.latestBytes ??= serialize(this.latest);
    this.byBatch.set(time, { version: this.version, value: this.latest, bytes: this.latestBytes });
    return { id: this.id, version: this.version, bytes: this.latestBytes };
  }

  /** Driver: batches up to `time` are done. */
  forget(time: number): void {
    for (const t of this.byBatch.keys()) if (t <= time) this.byBatch.delete(t);
  }
}
