import { deserialize, serialize } from 'node:v8';
import { cutKey } from '../checkpoint/checkpoint-cut';
import type { StreamingEvent } from '../listener/streaming-listener';
import type { Action } from '../rdd/action';
import { InputRDD } from '../rdd/input-rdd';
import type { JobRunner } from '../rdd/job-runner';
import { lineage, type RDD } from '../rdd/rdd';
import { currentScope } from '../rdd/rdd-scope';
import { ShuffledRDD } from '../rdd/shuffled-rdd';
import type { TaskBackend, TaskOutcome, TaskSpec } from './task-backend';
import { TaskFailedError } from './task-failed-error';

type AnyRDD = RDD<unknown>;
type MapOutputs = Map<string, Uint8Array[][]>;

/**
 * Runs the actions of one output operation of one batch (the driver's JobRunner).
 *
 * An action's lineage is cut at its shuffles into stages: one shuffle-map stage per
 * shuffle, run parents first, then the result stage. A stage has one task per partition.
 * Map outputs come back to the driver as serialized buckets and go out again inside the
 * reduce tasks that read them.
 */
export class DAGScheduler implements JobRunner {
  /** Results of this output operation's earlier actions, for executors' replays. */
  private readonly results: unknown[] = [];

  constructor(
    private readonly backend: TaskBackend,
    private readonly batchTime: number,
    private readonly outputOp: number,
    private readonly zeroTime: number,
    /** Metadata of the input RDDs the output's streams asked for while generated. */
    private readonly inputsUsed: ReadonlyMap<string, unknown> = new Map(),
    /** Where task and stage events go (the context's listener bus). */
    private readonly post: (event: StreamingEvent) => void = () => {},
  ) {}

  async runJob<T, P, R>(rdd: RDD<T>, action: Action<T, P, R>): Promise<R> {
    const scope = currentScope();
    const actionIndex = scope.actionCounter++;
    const root = rdd as AnyRDD;
    const all = lineage(root);
    const inputs: Record<string, unknown> = Object.fromEntries(this.inputsUsed);
    for (const r of all) {
      if (r instanceof InputRDD) inputs[r.id] = r.descriptor();
      // Tells the executors' replay where a recursive lineage starts (checkpoint-cut.ts).
      if (r.checkpointCut) inputs[cutKey(r.checkpointCut.streamId, r.checkpointCut.time)] = r.checkpointCut;
    }
    const base = {
      batchTime: this.batchTime,
      zeroTime: this.zeroTime,
      outputOp: this.outputOp,
      actionIndex,
      actionKind: action.kind,
      inputsJson: JSON.stringify(inputs),
      priorActionResults: actionIndex === 0 ? new Uint8Array(0) : serialize(this.results.slice(0, actionIndex)),
    };

    const mapOutputs: MapOutputs = new Map();
    for (const shuffle of all.filter((r): r is ShuffledRDD<unknown, unknown, unknown> => r instanceof ShuffledRDD)) {
      const parent = shuffle.parent;
      const outcomes = await this.runStage(base, `${shuffle.id}/map`, parent.numPartitions, (p) => ({
        ...base,
        stageRdd: shuffle.id,
        shuffleId: shuffle.shuffleId,
        partition: p,
        ...this.taskInput(parent, p, mapOutputs),
      }), `${shuffle.name} [${shuffle.id}] map side`);
      mapOutputs.set(shuffle.shuffleId, outcomes.map((o) => o.shuffleBuckets));
    }

    const handled: Promise<void>[] = [];
    const onPartial = action.onPartial?.bind(action);
    const outcomes = await this.runStage(base, root.id, root.numPartitions, (p) => ({
      ...base,
      stageRdd: root.id,
      shuffleId: '',
      partition: p,
      ...this.taskInput(root, p, mapOutputs),
    }), `${root.name} [${root.id}]`, onPartial && ((outcome, p) => {
      const call = Promise.resolve().then(() => onPartial(deserialize(outcome.result) as P, p));
      // Awaited with the others below; this only keeps an early failure from being reported as unhandled.
      call.catch(() => undefined);
      handled.push(call);
    }));
    await Promise.all(handled);
    const partials = outcomes.map((o) => deserialize(o.result) as P);
    const value = await action.combine(partials);
    this.results[actionIndex] = value;
    return value;
  }

  private async runStage(
    job: { actionIndex: number; actionKind: string },
    stageId: string,
    numPartitions: number,
    makeTask: (p: number) => TaskSpec,
    stage: string,
    /** Called with each task's outcome as it succeeds. */
    onSuccess?: (outcome: Extract<TaskOutcome, { ok: true }>, partition: number) => void,
  ): Promise<Extract<TaskOutcome, { ok: true }>[]> {
    const ids = { batchTime: this.batchTime, outputOp: this.outputOp, jobId: job.actionIndex, stageId };
    const submissionTime = Date.now();
    const tasks = Array.from({ length: numPartitions }, (_, p) => {
      const launchTime = Date.now();
      return this.backend.submit(makeTask(p)).then((outcome) => {
        this.post({
          type: 'onTaskEnd',
          payload: {
            taskInfo: {
              ...ids,
              partition: p,
              executorId: outcome.executorId,
              launchTime,
              finishTime: Date.now(),
              runMs: outcome.ok ? outcome.runMs : 0,
              recordsRead: outcome.ok ? outcome.recordsRead : 0,
              successful: outcome.ok,
              errorMessage: outcome.ok ? null : outcome.message,
            },
          },
        });
        if (!outcome.ok) {
          throw new TaskFailedError({
            message: outcome.message,
            stack: outcome.stack,
            partition: p,
            executorId: outcome.executorId,
            stage,
          });
        }
        onSuccess?.(outcome, p);
        return outcome;
      });
    });
    let failureReason: string | null = null;
    try {
      return await Promise.all(tasks);
    } catch (err) {
      failureReason = (err as Error)?.message ?? String(err);
      throw err;
    } finally {
      this.post({
        type: 'onStageCompleted',
        payload: {
          stageInfo: {
            ...ids,
            actionKind: job.actionKind,
            name: stage,
            numTasks: numPartitions,
            submissionTime,
            completionTime: Date.now(),
            failureReason,
          },
        },
      });
    }
  }

  /** The shipped input and shuffle buckets that partition p of `rdd` reads. */
  private taskInput(rdd: AnyRDD, p: number, mapOutputs: MapOutputs): Pick<TaskSpec, 'inputPartitions' | 'shuffleInputs'> {
    const inputPartitions: TaskSpec['inputPartitions'] = [];
    const shuffleInputs: TaskSpec['shuffleInputs'] = [];
    const visit = (r: AnyRDD, partition: number): void => {
      if (r.checkpointCut) return;
      if (r instanceof InputRDD) {
        inputPartitions.push({ rddId: r.id, partition, blocks: r.shippedInput(partition) });
        return;
      }
      if (r instanceof ShuffledRDD) {
        const outputs = mapOutputs.get(r.shuffleId) ?? [];
        shuffleInputs.push({ shuffleId: r.shuffleId, buckets: outputs.map((buckets) => buckets[partition]!) });
        return;
      }
      for (const dep of r.dependencies) {
        if (dep.kind === 'narrow') for (const pp of dep.parents(partition)) visit(dep.rdd, pp);
      }
    };
    visit(rdd, p);
    return { inputPartitions, shuffleInputs };
  }
}
