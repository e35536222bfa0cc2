import { submit } from '@sluice/cli';
import { parseDuration, type StreamingContext } from '@sluice/streaming';
import { setDriverSide, encodeJobSettings, CLASSIFY_JOB_MODULE } from '@sluice/classify/testing';
import type { PhaseResult } from './bare-loop.js';
import type { ClassifyBenchSettings } from './bench-settings.js';
import { FrameServer } from './frame-server.js';
import type { BenchImage } from './image-set.js';

export interface EnginePhaseResult extends PhaseResult {
  batches: number;
  /** Where the executors' time went in the round (see EngineRun.breakdown). */
  breakdown: EngineTimeBreakdown;
}

/**
 * The round's executor-core time, from the engine's own task events: what the classify
 * tasks (decode + inference, and reading their shuffle input) ran, what the repartition's
 * map tasks ran, and the rest, when a core had no task (waiting for a batch, for the
 * driver between tasks and stages, or for input).
 */
export interface EngineTimeBreakdown {
  classify_task_s: number;
  map_task_s: number;
  idle_core_s: number;
  tasks: number;
  /** Images per classify task, on average: what an inference batch can fill. */
  images_per_classify_task: number;
}

interface TaskTiming {
  launchTime: number;
  finishTime: number;
  runMs: number;
  map: boolean;
  records: number;
}

const RESULT_TIMEOUT_MS = 600_000;

/**
 * The sluice-classify job (the app's own job module and graph: socket source,
 * repartition over executors x cores, classify, results collected on the driver) on
 * `executors` local executor processes, fed by a FrameServer.
 *
 * start() submits it and warms the executors up with one inference batch each. Every
 * round() then sends the images and times from the start of the first batch holding one
 * of them to the arrival of the last result on the driver: scheduling, shipping blocks,
 * the shuffle, decoding, inference and collecting all count.
 */
export class EngineRun {
  private ssc: StreamingContext | null = null;
  private readonly batchStarts = new Map<number, number>();
  private readonly results: { name: string; batchTime: number; at: number; ok: boolean }[] = [];
  private readonly tasks: TaskTiming[] = [];
  private rounds = 0;

  private constructor(
    private readonly server: FrameServer,
    private readonly batchDurationMs: number,
    private readonly cores: number,
  ) {}

  static async start(settings: ClassifyBenchSettings, warmUp: BenchImage[]): Promise<EngineRun> {
    const run = new EngineRun(await FrameServer.start(), parseDuration(settings.batchDuration, '--batch-duration'), settings.executors);
    // The job module's driver side runs in this process: results and batch starts land here.
    setDriverSide({
      contextCreated: (ssc) => {
        run.ssc = ssc;
        ssc.addStreamingListener({
          onBatchStarted: ({ batchInfo }) => run.batchStarts.set(batchInfo.batchTime, batchInfo.processingStartTime!),
          onTaskEnd: ({ taskInfo: t }) =>
            run.tasks.push({ launchTime: t.launchTime, finishTime: t.finishTime, runMs: t.runMs, map: t.stageId.endsWith('/map'), records: t.recordsRead }),
        });
      },
      results: (batchTime, images) => {
        const at = performance.timeOrigin + performance.now();
        for (const r of images) run.results.push({ name: r.name ?? '', batchTime, at, ok: r.ok });
        return true;
      },
      batchCounted: () => {},
    });
    try {
      await submit({
        job: CLASSIFY_JOB_MODULE,
        args: encodeJobSettings({
          source: { kind: 'socket', host: '127.0.0.1', port: run.server.port },
          partitions: settings.executors * (settings.executorCores ?? 1),
          model: settings.model,
          batchSize: settings.batchSize,
          topK: settings.topK,
          backend: settings.backend,
          output: { kind: 'stdout' },
        }),
        conf: {
          appName: 'classify-bench',
          executors: settings.executors,
          executorCores: settings.executorCores ?? 1,
          batchDuration: settings.batchDuration,
          blockInterval: settings.blockInterval,
          receiverRestartDelay: '10m',
        },
        log: (line) => {
          if (!line.includes('vision:')) process.stderr.write(`sluice: ${line}\n`);
        },
      });
      // One inference batch per executor, sent at once and classified before any timing.
      await run.sendAndWait(warmUp, 'w', 0);
    } catch (err) {
      await run.stop();
      throw err;
    }
    return run;
  }

  /**
   * Sends `images` at `rate` per second (0: as fast as they are read) and times them.
   * The first batch duration's worth goes at once, as if the stream had been running:
   * otherwise the first batch would hold only what arrived since the last boundary and the
   * executors would wait for the second, which is the stream starting, not its throughput.
   */
  async round(images: BenchImage[], rate: number): Promise<EnginePhaseResult> {
    const burst = Math.ceil((rate * this.batchDurationMs) / 1000);
    const mine = await this.sendAndWait(images, `r${++this.rounds}`, rate, burst);
    const firstBatch = Math.min(...mine.map((m) => m.batchTime));
    const started = this.batchStarts.get(firstBatch)!;
    const finished = Math.max(...mine.map((m) => m.at));
    return {
      images: mine.length,
      errors: mine.filter((m) => !m.ok).length,
      seconds: (finished - started) / 1000,
      batches: new Set(mine.map((m) => m.batchTime)).size,
      breakdown: this.breakdown(started, finished),
    };
  }

  /** Executor-core time between `from` and `to`, by the tasks that ran then (clipped to the window). */
  private breakdown(from: number, to: number): EngineTimeBreakdown {
    let classify = 0;
    let map = 0;
    let classifyTasks = 0;
    let classifyRecords = 0;
    let n = 0;
    for (const t of this.tasks) {
      if (t.finishTime < from || t.launchTime > to) continue;
      // runMs is measured on the executor; the share of it inside the window counts.
      const inside = Math.max(0, Math.min(to, t.finishTime) - Math.max(from, t.launchTime));
      const run = Math.min(t.runMs, inside);
      n++;
      if (t.map) map += run;
      else {
        classify += run;
        classifyTasks++;
        classifyRecords += t.records;
      }
    }
    const total = (this.cores * (to - from)) / 1000;
    const r = (v: number) => Math.round(v * 100) / 100;
    return {
      classify_task_s: r(classify / 1000),
      map_task_s: r(map / 1000),
      idle_core_s: r(total - (classify + map) / 1000),
      tasks: n,
      images_per_classify_task: classifyTasks > 0 ? r(classifyRecords / classifyTasks) : 0,
    };
  }

  async stop(): Promise<void> {
    setDriverSide(null);
    this.server.close();
    await this.ssc?.stop();
  }

  private async sendAndWait(images: BenchImage[], tag: string, rate: number, burst = 0) {
    const prefix = `${tag}-`;
    await this.server.send(images, (image, i) => `${prefix}${i}-${image.name}`, rate, burst);
    const deadline = Date.now() + RESULT_TIMEOUT_MS;
    const mine = () => this.results.filter((r) => r.name.startsWith(prefix));
    while (mine().length < images.length) {
      if (Date.now() > deadline) throw new Error(`classify bench: timed out waiting for the results of ${tag}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return mine();
  }
}
