import { deserialize } from 'node:v8';
import type { DStreamGraph } from '../dstream/dstream-graph.js';
import type { Action } from '../rdd/action.js';
import type { JobRunner } from '../rdd/job-runner.js';
import type { RDD } from '../rdd/rdd.js';
import { currentScope, runInScope } from '../rdd/rdd-scope.js';
import type { TaskSpec } from './task-backend.js';

export interface ReplayedJob {
  rdd: RDD<unknown>;
  action: Action<unknown, unknown, unknown>;
}

/**
 * How an executor finds the code of a task without any code being sent.
 *
 * The executor built the same DStream graph from the job module. For a task of batch T,
 * output operation k, action a, it generates T's RDDs as the driver did (input RDDs come
 * from the metadata in the task) and calls output k's function with them. That function
 * runs the same way it ran on the driver until it starts an action: the actions before
 * number a return the results the driver got (sent with the task), number a is the one
 * wanted, and the replay stops there (its promise never settles, so nothing after it runs
 * on the executor). The action and its RDD carry the user's functions.
 */
export class LineageReplayer {
  private readonly jobs = new Map<string, Promise<ReplayedJob>>();

  constructor(private readonly graph: DStreamGraph) {}

  find(task: TaskSpec): Promise<ReplayedJob> {
    this.graph.setZeroTime(task.zeroTime);
    const key = `${task.batchTime}/${task.outputOp}/${task.actionIndex}`;
    let job = this.jobs.get(key);
    if (!job) {
      job = this.replay(task);
      this.jobs.set(key, job);
      job.catch(() => this.jobs.delete(key));
    }
    return job;
  }

  /**
   * Batch `time` is done: its replayed jobs go, and so do the RDDs that no stream
   * remembers any more (a window keeps the RDDs of its parent that its next slides read,
   * as on the driver: both sides compute the same remember durations from the same graph).
   */
  forgetBatch(time: number): void {
    for (const key of this.jobs.keys()) if (Number(key.split('/')[0]) <= time) this.jobs.delete(key);
    this.graph.forget(time);
  }

  private replay(task: TaskSpec): Promise<ReplayedJob> {
    const output = this.graph.outputs[task.outputOp];
    if (!output) {
      return Promise.reject(new Error(`output operation ${task.outputOp} does not exist here: the job module built a different graph`));
    }
    const prior = task.priorActionResults.length > 0 ? (deserialize(task.priorActionResults) as unknown[]) : [];
    const inputs = new Map(Object.entries(JSON.parse(task.inputsJson) as Record<string, unknown>));
    return new Promise<ReplayedJob>((resolve, reject) => {
      const runner: JobRunner = {
        runJob: (rdd, action) => {
          const index = currentScope().actionCounter++;
          if (index < task.actionIndex) return Promise.resolve(prior[index] as never);
          if (index === task.actionIndex) resolve({ rdd: rdd, action: action });
          return new Promise<never>(() => {});
        },
      };
      const rdd = runInScope(
        { prefix: 'g', batchTime: task.batchTime, runner, inputs, outputOp: -1 },
        () => output.getOrCompute(task.batchTime),
      );
      output.runOutput(task.batchTime, rdd, runner).then(
        () => reject(new Error(`output operation ${task.outputOp} finished without reaching action ${task.actionIndex}`)),
        (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
      );
    });
  }
}
