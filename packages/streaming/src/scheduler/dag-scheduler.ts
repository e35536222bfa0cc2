import { setMaxListeners } from 'node:events';
import type { BroadcastValue } from '../broadcast/broadcast.js';
import { deserialize, serialize } from 'node:v8';
import { cutKey } from '../checkpoint/checkpoint-cut.js';
import type { StreamingEvent } from '../listener/streaming-listener.js';
import type { Action } from '../rdd/action.js';
import { InputRDD } from '../rdd/input-rdd.js';
import type { JobRunner } from '../rdd/job-runner.js';
import { lineage, type RDD } from '../rdd/rdd.js';
import { currentScope } from '../rdd/rdd-scope.js';
import { ShuffledRDD } from '../rdd/shuffled-rdd.js';
import { StorageLevel } from '../rdd/storage-level.js';
import type { BlockTracking } from './block-tracking.js';
import type { TaskBackend, TaskOutcome, TaskSpec } from './task-backend.js';
import { TaskFailedError } from './task-failed-error.js';

type AnyRDD = RDD<unknown>;
type AnyShuffle = ShuffledRDD<unknown, unknown, unknown>;
type Succeeded = Extract<TaskOutcome, { ok: true }>;

/** Attempts of a stage whose tasks hit fetch failures before the job fails. */
const MAX_STAGE_ATTEMPTS = 4;

/**
 * Runs the actions of one output operation of one batch (the driver's JobRunner).
 *
 * An action's lineage is cut at its shuffles into stages: one shuffle-map stage per
 * shuffle, then the result stage; a stage has one task per partition. A map stage runs
 * after the map stages it reads from; map stages that do not depend on each other run
 * at the same time. A map stage whose outputs are all still kept (an earlier action or
 * batch ran it) is skipped, and one that lost some outputs (an executor died) reruns only
 * those map tasks. Map outputs stay on the executors that wrote them: the driver records
 * where (BlockTracking) and sends reduce tasks the locations, never the bytes. A task that
 * cannot fetch a map output (fetch failure) makes the driver forget that executor's
 * outputs, rerun the lost map tasks and then the failed tasks, as Spark resubmits a stage.
 */
export class DAGScheduler implements JobRunner {
  /** Results of this output operation's earlier actions, for executors' replays. */
  private readonly results: unknown[] = [];
  /**
   * Set when a task found a cached partition it was sent for gone (evicted, or the task
   * ran elsewhere): from then on this job computes lineages below cached RDDs too.
   */
  private ignoreCache = false;

  constructor(
    private readonly backend: TaskBackend,
    private readonly batchTime: number,
    private readonly outputOp: number,
    private readonly zeroTime: number,
    private readonly tracking: BlockTracking,
    /** Metadata of the input RDDs the output's streams asked for while generated. */
    private readonly inputsUsed: ReadonlyMap<string, unknown> = new Map(),
    /** Where task and stage events go (the context's listener bus). */
    private readonly post: (event: StreamingEvent) => void = () => {},
    /** The broadcast values of this batch, carried by each task (broadcast.ts). */
    private readonly broadcasts: BroadcastValue[] = [],
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
      broadcasts: this.broadcasts,
      outputOp: this.outputOp,
      actionIndex,
      actionKind: action.kind,
      inputsJson: JSON.stringify(inputs),
      priorActionResults: actionIndex === 0 ? new Uint8Array(0) : serialize(this.results.slice(0, actionIndex)),
    };

    // Aborted when the job fails: its other tasks, queued or running, are killed (KillTask)
    // rather than left to run for nothing.
    const cancel = new AbortController();
    // Every task of the job listens (a job has as many tasks as partitions).
    setMaxListeners(0, cancel.signal);
    try {
      return await this.runJobStages(root, action, base, cancel.signal);
    } catch (err) {
      cancel.abort(`job ${actionIndex} of output operation ${this.outputOp} (batch ${this.batchTime}) failed: ${(err as Error)?.message ?? String(err)}`);
      throw err;
    }
  }

  private async runJobStages<T, P, R>(
    root: AnyRDD,
    action: Action<T, P, R>,
    base: Omit<TaskSpec, 'stageRdd' | 'shuffleId' | 'partition' | 'inputPartitions' | 'shuffleInputs' | 'preferredExecutors'>,
    cancel: AbortSignal,
  ): Promise<R> {
    const actionIndex = base.actionIndex;
    const stages = new Map<string, Promise<void>>();
    const ensureShuffle = (shuffle: AnyShuffle): Promise<void> => {
      let done = stages.get(shuffle.shuffleId);
      if (!done) {
        done = this.runMapStage(shuffle, base, ensureParents, cancel);
        stages.set(shuffle.shuffleId, done);
        // A rerun after a fetch failure asks again: a settled stage is not reused then.
        void done.finally(() => stages.delete(shuffle.shuffleId)).catch(() => {});
      }
      return done;
    };
    const ensureParents = async (rdd: AnyRDD): Promise<void> => {
      await Promise.all(this.parentShuffles(rdd).map(ensureShuffle));
    };

    const handled: Promise<void>[] = [];
    const onPartial = action.onPartial?.bind(action);
    const outcomes = await this.runStage(
      base,
      root.id,
      root,
      Array.from({ length: root.numPartitions }, (_, p) => p),
      (p) => ({ ...base, stageRdd: root.id, shuffleId: '', partition: p, ...this.taskInput(root, p) }),
      `${root.name} [${root.id}]`,
      ensureParents,
      cancel,
      onPartial &&
        ((outcome, p) => {
          const call = Promise.resolve().then(() => onPartial(deserialize(outcome.result) as P, p));
          // Awaited with the others below; this only keeps an early failure from being reported as unhandled.
          call.catch(() => undefined);
          handled.push(call);
        }),
    );
    await Promise.all(handled);
    const partials = outcomes.map((o) => deserialize(o.result) as P);
    const value = await action.combine(partials);
    this.results[actionIndex] = value;
    return value;
  }

  /** Runs the map tasks of `shuffle` whose outputs are not kept anywhere (none: skipped). */
  private async runMapStage(
    shuffle: AnyShuffle,
    base: Omit<TaskSpec, 'stageRdd' | 'shuffleId' | 'partition' | 'inputPartitions' | 'shuffleInputs' | 'preferredExecutors'>,
    ensureParents: (rdd: AnyRDD) => Promise<void>,
    cancel: AbortSignal,
  ): Promise<void> {
    const parent = shuffle.parent;
    const numMaps = parent.numPartitions;
    const missing = this.tracking.mapOutputs.missing(shuffle.shuffleId, numMaps);
    if (missing.length === 0) return;
    const outcomes = await this.runStage(
      base,
      `${shuffle.id}/map`,
      parent,
      missing,
      (p) => ({ ...base, stageRdd: shuffle.id, shuffleId: shuffle.shuffleId, partition: p, ...this.taskInput(parent, p) }),
      `${shuffle.name} [${shuffle.id}] map side`,
      ensureParents,
      cancel,
    );
    outcomes.forEach((o, i) => {
      if (!o.mapStatus) throw new Error(`map task ${missing[i]} of shuffle ${shuffle.shuffleId} reported no map output`);
      this.tracking.mapOutputs.register(shuffle.shuffleId, numMaps, missing[i]!, o.mapStatus);
    });
  }

  /**
   * Runs one task per listed partition of a stage whose tasks read `rdd`'s partitions.
   * Tasks that fail to fetch a map output are run again once the lost map outputs are
   * recomputed; any other failure fails the job. Outcomes come in `partitions` order.
   */
  private async runStage(
    job: { actionIndex: number; actionKind: string },
    stageId: string,
    rdd: AnyRDD,
    partitions: number[],
    makeTask: (p: number) => TaskSpec,
    stage: string,
    ensureParents: (rdd: AnyRDD) => Promise<void>,
    cancel: AbortSignal,
    /** Called with each task's outcome as it succeeds. */
    onSuccess?: (outcome: Succeeded, partition: number) => void,
  ): Promise<Succeeded[]> {
    const ids = { batchTime: this.batchTime, outputOp: this.outputOp, jobId: job.actionIndex, stageId };
    const submissionTime = Date.now();
    let failureReason: string | null = null;
    try {
      return await this.runStageAttempts(ids, rdd, partitions, makeTask, stage, ensureParents, cancel, onSuccess);
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
            numTasks: partitions.length,
            submissionTime,
            completionTime: Date.now(),
            failureReason,
          },
        },
      });
    }
  }

  private async runStageAttempts(
    ids: { batchTime: number; outputOp: number; jobId: number; stageId: string },
    rdd: AnyRDD,
    partitions: number[],
    makeTask: (p: number) => TaskSpec,
    stage: string,
    ensureParents: (rdd: AnyRDD) => Promise<void>,
    cancel: AbortSignal,
    onSuccess?: (outcome: Succeeded, partition: number) => void,
  ): Promise<Succeeded[]> {
    const outcomes = new Map<number, Succeeded>();
    let pending = partitions;
    for (let attempt = 1; ; attempt++) {
      // The map stages this stage reads: skipped when their outputs are all kept; after a
      // fetch failure, only the lost map tasks run again.
      await ensureParents(rdd);
      const retry: number[] = [];
      await Promise.all(
        pending.map(async (p) => {
          let spec: TaskSpec;
          try {
            spec = makeTask(p);
          } catch (err) {
            // A map output went missing (its executor died) since the parents were run.
            if (attempt < MAX_STAGE_ATTEMPTS) return void retry.push(p);
            throw err;
          }
          const launchTime = Date.now();
          const outcome = await this.backend.submit(spec, cancel);
          this.tracking.taskEnded(outcome);
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
          if (outcome.ok) {
            outcomes.set(p, outcome);
            onSuccess?.(outcome, p);
            return;
          }
          if (outcome.fetchFailed && attempt < MAX_STAGE_ATTEMPTS) {
            // No executor named: the task was sent without the map outputs below a cached
            // partition, which was not there. Otherwise the executor that could not serve
            // its outputs is treated as having lost them all (it is most likely gone): its
            // map tasks run again elsewhere.
            if (outcome.fetchFailed.executorId === '') this.ignoreCache = true;
            else this.tracking.mapOutputs.executorLost(outcome.fetchFailed.executorId);
            return void retry.push(p);
          }
          throw new TaskFailedError({ message: outcome.message, stack: outcome.stack, partition: p, executorId: outcome.executorId, stage });
        }),
      );
      if (retry.length === 0) return partitions.map((p) => outcomes.get(p)!);
      pending = retry.sort((a, b) => a - b);
    }
  }

  /**
   * Shuffles that partitions of `rdd` read through narrow dependencies. The walk stops at
   * a persisted RDD all of whose partitions are cached (its lineage is not needed) and at
   * a checkpoint cut.
   */
  private parentShuffles(rdd: AnyRDD): AnyShuffle[] {
    const found = new Map<string, AnyShuffle>();
    const seen = new Set<string>();
    const visit = (r: AnyRDD): void => {
      if (seen.has(r.id)) return;
      seen.add(r.id);
      if (r.checkpointCut) return;
      if (!this.ignoreCache && r.storageLevel !== StorageLevel.NONE && this.tracking.cache.allCached(r.id, r.numPartitions)) return;
      for (const dep of r.dependencies) {
        if (dep.kind === 'shuffle') found.set(dep.shuffle.shuffleId, dep.shuffle);
        else visit(dep.rdd);
      }
    };
    visit(rdd);
    return [...found.values()];
  }

  /** The shipped input, map output locations and cached-partition holders partition p of `rdd` reads. */
  private taskInput(rdd: AnyRDD, p: number): Pick<TaskSpec, 'inputPartitions' | 'shuffleInputs' | 'preferredExecutors'> {
    const inputPartitions: TaskSpec['inputPartitions'] = [];
    const shuffleInputs: TaskSpec['shuffleInputs'] = [];
    const preferred = new Set<string>();
    // Below a cached partition, the task normally reads the cache: input blocks are not
    // shipped there (a window over a received stream would otherwise ship every batch of
    // the window again each slide), nor are map outputs that may be gone. A task that lands
    // where the partition is not kept fails asking for them (a fetch failure naming no
    // executor), and the job is run again with the lineages below cached RDDs.
    const visit = (r: AnyRDD, partition: number, underCache: boolean): void => {
      if (r.checkpointCut) return;
      if (r.storageLevel !== StorageLevel.NONE && !this.ignoreCache) {
        const holders = this.tracking.cache.locations(r.id, partition);
        for (const e of holders) preferred.add(e);
        if (holders.length > 0) underCache = true;
      }
      if (r instanceof InputRDD) {
        if (!underCache) inputPartitions.push({ rddId: r.id, partition, blocks: r.shippedInput(partition) });
        return;
      }
      if (r instanceof ShuffledRDD) {
        if (underCache && this.tracking.mapOutputs.missing(r.shuffleId, r.parent.numPartitions).length > 0) return;
        shuffleInputs.push({
          shuffleId: r.shuffleId,
          reducePartition: partition,
          maps: this.tracking.mapOutputs.locations(r.shuffleId, r.parent.numPartitions),
        });
        return;
      }
      for (const dep of r.dependencies) {
        if (dep.kind === 'narrow') for (const pp of dep.parents(partition)) visit(dep.rdd, pp, underCache);
      }
    };
    visit(rdd, p, false);
    return { inputPartitions, shuffleInputs, preferredExecutors: [...preferred] };
  }
}
