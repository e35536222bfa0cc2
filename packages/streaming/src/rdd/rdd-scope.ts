import { AsyncLocalStorage } from 'node:async_hooks';
import type { JobRunner } from './job-runner.js';

/**
 * Where RDDs are being created, and who runs their actions.
 *
 * RDD ids must come out the same on the driver and on every executor, because a task
 * names the RDD it computes by id and the executor finds it by rebuilding the lineage
 * from the job module. So ids are not taken from a global counter (whose value depends
 * on what else ran before) but from the scope that creates them: "d7.0@T" is the first
 * RDD DStream 7 created for batch T, "o2.3@T" the fourth RDD that output operation 2's
 * foreachRDD function created for batch T. The batch time is part of the id because one
 * lineage can span many batches (a window reads the RDDs of several batches, a state
 * stream the previous batch's state): without it two batches' "d7.0" would be one RDD.
 * AsyncLocalStorage keeps the scope across awaits inside an async foreachRDD function.
 */
export interface RddScope {
  readonly prefix: string;
  counter: number;
  readonly batchTime: number;
  readonly runner: JobRunner;
  /** Executors: metadata of the input RDDs of the batch, by RDD id. */
  readonly inputs: Map<string, unknown> | null;
  /**
   * Driver, while a batch's RDDs are generated: the metadata of every input RDD the
   * streams asked for, by RDD id. Tasks carry it all, not only the inputs in the action's
   * lineage: an executor replays the same DStream code, which asks for the same inputs
   * even when a transform function then ignores one (transformWith((a, b) => a)).
   */
  readonly inputsUsed?: Map<string, unknown>;
  /** Output operation this scope belongs to, -1 while generating DStream RDDs. */
  readonly outputOp: number;
  /** Actions started so far in this output operation's call (foreachRDD). */
  actionCounter: number;
}

const storage = new AsyncLocalStorage<RddScope>();

export function currentScope(): RddScope {
  const scope = storage.getStore();
  if (!scope) {
    throw new Error(
      'RDDs can only be created while a batch is generated: inside transform(), foreachRDD() or a DStream operator',
    );
  }
  return scope;
}

/** The batch of the scope this runs in, if any (a transform or foreachRDD function). */
export function currentBatchTime(): number | undefined {
  return storage.getStore()?.batchTime;
}

export function nextRddId(): string {
  const scope = currentScope();
  return `${scope.prefix}.${scope.counter++}@${scope.batchTime}`;
}

export function runInScope<R>(
  fields: Omit<RddScope, 'counter' | 'actionCounter'>,
  fn: () => R,
): R {
  return storage.run({ ...fields, counter: 0, actionCounter: 0 }, fn);
}

/**
 * A nested scope sharing the runner and inputs of the current one. `batchTime` is the
 * batch whose RDDs it creates: a window computing an earlier batch of its parent passes
 * that batch's time, so the parent's RDD gets the id it had (or will have) in its own batch.
 */
export function runInChildScope<R>(prefix: string, fn: () => R, batchTime?: number): R {
  const parent = currentScope();
  return runInScope(
    {
      prefix,
      batchTime: batchTime ?? parent.batchTime,
      runner: parent.runner,
      inputs: parent.inputs,
      inputsUsed: parent.inputsUsed,
      outputOp: parent.outputOp,
    },
    fn,
  );
}
