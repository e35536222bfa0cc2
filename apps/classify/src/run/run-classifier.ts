import { writeFile } from 'node:fs/promises';
import { submit } from '@sluice/cli';
import type { LiveUi } from '@sluice/ui';
import { resolveConf, type BatchInfo, type StreamingConfInput, type StreamingContext } from '@sluice/streaming';
import { isClassifierUnavailable, type ClassifiedImage } from '@sluice/vision/stream';
import { setDriverSide } from '../job/driver-side.js';
import { describeSource } from '../job/source-spec.js';
import { encodeJobSettings, type ClassifyJobSettings } from '../job/job-settings.js';
import { toResultRecord } from '../job/result-record.js';
import { jobModulePath } from '../job/job-module-path.js';
import { BatchProgress } from './batch-progress.js';
import { RecentClassifierActivity } from './classifier-ui-metrics.js';
import { createResultWriter, type ResultWriter } from './result-writer.js';
import { RunStats, type RunSummary } from './run-stats.js';
import { formatSummary } from './summary-text.js';

export const CLASSIFY_JOB_MODULE = jobModulePath('classify-job');
/** What the executors' task threads run as they start: the model loads while the driver starts. */
export const CLASSIFY_WARM_UP_MODULE = jobModulePath('warm-up');

/** Batches failing one after another mean a broken setup (model, output), not bad luck. */
const FAILED_BATCHES_BEFORE_GIVING_UP = 3;
/** The summary's percentiles walk a histogram: a few reports a second are plenty for a page. */
const UI_REPORT_EVERY_MS = 250;

export interface ClassifierRunOptions {
  settings: ClassifyJobSettings;
  conf: StreamingConfInput;
  /** Stop after this many results (null: no limit). */
  count: number | null;
  /** Stop gracefully after this long (null: no limit). */
  runForMs: number | null;
  summaryJsonPath: string | null;
  /** When the process was launched (ms since the epoch): startup is measured from here. */
  launchedAt: number;
  /** Progress lines, the summary and the engine's messages. Default: stderr. */
  log?: (line: string) => void;
  /** Stop gracefully on SIGINT and SIGTERM (the command line does; tests do not). */
  handleSignals?: boolean;
  /** Serve the web UI (Streaming, ..., Classifier pages) here; null or absent: no UI. */
  ui?: { port: number; host: string } | null;
}

export interface ClassifierRunResult {
  summary: RunSummary;
  /** Why the run stopped early with a failure, or null. */
  failure: string | null;
  /**
   * The web UI, still serving the finished run with its final figures (null without
   * --ui): the caller stops it (`await ui.stop()`).
   */
  ui: LiveUi | null;
}

/**
 * Runs the classifier job until --count results, --run-for, a signal, or repeated
 * failures stop it; writes results as they come and returns the summary.
 */
export async function runClassifier(options: ClassifierRunOptions): Promise<ClassifierRunResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { settings, count } = options;
  if (settings.source.kind === 'kafka' && settings.source.maxRatePerPartition === 0 && !resolveConf(options.conf).backpressureEnabled) {
    log('sluice-classify: backpressure is off and there is no --max-rate-per-partition: a backlog waiting in the topic is read in one batch, and nothing is written until all of it is classified');
  }
  const writer: ResultWriter | null = settings.output.kind === 'kafka' ? null : createResultWriter(settings.output);
  const stats = new RunStats(options.launchedAt, latencyBasisOf(settings));
  stats.startupStep('driver_loaded', Date.now());
  const progress = new BatchProgress(writer !== null);
  const recent = new RecentClassifierActivity();
  let ui: LiveUi | null = null;
  /** The Classifier page's figures, sent at most every UI_REPORT_EVERY_MS while results come. */
  let lastReportAt = 0;
  const reportToUi = (force: boolean) => {
    const now = Date.now();
    if (!ui || (!force && now - lastReportAt < UI_REPORT_EVERY_MS)) return;
    lastReportAt = now;
    ui.reportMetric('classifier', { ...recent.values(stats.summary(now), now) });
  };
  let ssc: StreamingContext | null = null;
  let stopping = false;
  let failure: string | null = null;
  let failedInARow = 0;
  /** Kafka output from a Kafka source: images per batch, from the offsets. */
  const counted = new Map<number, number>();

  const requestStop = (reason: string, graceful: boolean) => {
    if (stopping || !ssc) return;
    stopping = true;
    log(`sluice-classify: ${reason}; stopping`);
    const context = ssc;
    // Not from inside the output operation that noticed: let it return first.
    setImmediate(() => void context.stop({ graceful }));
  };
  const countReached = () => count !== null && stats.resultCount >= count;

  const onResults = async (batchTime: number, images: ClassifiedImage[]): Promise<boolean> => {
    if (countReached()) return images.length === 0;
    const wanted = count === null ? images : images.slice(0, Math.max(0, count - stats.resultCount));
    const now = Date.now();
    const records = wanted.map((image) => toResultRecord(image, now));
    await writer!.write(records);
    let errors = 0;
    for (const r of records) {
      if (r.ok) stats.addClassified(batchTime, r.top?.[0]?.label, r.latencyMs, now);
      else {
        errors++;
        stats.addError(batchTime, r.kind!, r.latencyMs, now);
        recent.noteError({ time: now, name: r.name, kind: r.kind!, message: r.error ?? '' });
      }
    }
    progress.noteResults(batchTime, records.length, errors);
    recent.noteResults(now, records.length);
    reportToUi(false);
    if (countReached()) requestStop(`${count} results written (--count)`, true);
    return records.length === images.length;
  };

  const onBatchCompleted = (info: BatchInfo) => {
    const failed = Object.values(info.outputOperationInfos).some((op) => op.failureReason !== null);
    if (!writer && !failed && info.processingEndTime !== null) {
      const images = Math.max(info.numRecords, counted.get(info.batchTime) ?? 0);
      stats.addBatchTotals(info.batchTime, images, info.processingEndTime - info.batchTime, info.processingEndTime);
      progress.noteResults(info.batchTime, images, 0);
      recent.noteResults(info.processingEndTime, images);
    }
    counted.delete(info.batchTime);
    const rate = rateOf(info);
    if (rate !== null && info.numRecords > 0) stats.batchRate(rate);
    const lag = lagOf(info);
    if (!failed && lag !== null && info.processingEndTime !== null) stats.batchLag(info.numRecords, lag, info.processingEndTime);
    stats.batchCompleted(info.batchTime, failed);
    reportToUi(false);
    const line = progress.lineFor(info);
    if (line) log(line);
    failedInARow = failed ? failedInARow + 1 : 0;
    const reasons = Object.values(info.outputOperationInfos).map((op) => op.failureReason ?? '');
    if (reasons.some(isClassifierUnavailable)) {
      failure = 'the executors cannot load the classifier (the reason is printed above)';
      requestStop(failure, false);
    } else if (failedInARow >= FAILED_BATCHES_BEFORE_GIVING_UP) {
      failure = `${failedInARow} batches in a row failed (the reason is printed above)`;
      requestStop(failure, false);
    } else if (!writer && countReached()) {
      requestStop(`${count} results written (--count)`, true);
    }
  };

  setDriverSide({
    contextCreated: (context) => {
      ssc = context;
      // Added before the context starts, so that the first batch is seen too.
      context.addStreamingListener({
        onExecutorAdded: () => stats.startupStep('executors_ready', Date.now()),
        onStreamingStarted: ({ time }) => stats.startupStep('stream_started', time),
        onBatchStarted: ({ batchInfo }) => {
          const startedAt = batchInfo.processingStartTime ?? Date.now();
          stats.batchStarted(batchInfo.batchTime, startedAt);
          if (batchInfo.numRecords > 0) stats.startupStep('first_batch_started', startedAt);
        },
        onBatchCompleted: ({ batchInfo }) => onBatchCompleted(batchInfo),
        // A receiver stopping by itself, while the context runs, is the end of the stream
        // (a socket source's sender closed the connection): what came is classified, then the run ends.
        onReceiverStopped: () => {
          if (context.state === 'active') requestStop(`the image stream from ${describeSource(settings.source)} has ended`, true);
        },
      });
    },
    results: onResults,
    batchCounted: (batchTime, images) => counted.set(batchTime, images),
  });

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    requestStop(`${signal === 'SIGINT' ? 'interrupted' : 'terminated'} (again to stop at once)`, true);
  };
  let timer: NodeJS.Timeout | null = null;
  let ranToEnd = false;
  try {
    await submit({
      job: CLASSIFY_JOB_MODULE,
      args: encodeJobSettings(settings),
      executorWarmUp: { module: CLASSIFY_WARM_UP_MODULE, args: encodeJobSettings(settings) },
      conf: { appName: 'sluice-classify', waitForExecutors: waitsForExecutors(settings), ...options.conf },
      log: (line) => log(`sluice: ${line}`),
      beforeStart: async (context) => {
        if (!options.ui) return;
        // Loaded only for --ui: a run without it does not pay for the UI's modules.
        const { LiveUi } = await import('@sluice/ui');
        ui = new LiveUi(context, { port: options.ui.port, host: options.ui.host });
        const url = await ui.start();
        if (url) log(`sluice-classify: web UI at ${url} (the Classifier page: ${url}/classifier/)`);
      },
    });
    if (options.handleSignals) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    if (options.runForMs !== null) timer = setTimeout(() => requestStop(`--run-for ${options.runForMs} ms elapsed`, true), options.runForMs);
    await ssc!.awaitTermination();
    ranToEnd = true;
  } finally {
    if (timer) clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    setDriverSide(null);
    if (ssc && (ssc as StreamingContext).state !== 'stopped') await (ssc as StreamingContext).stop();
    await writer?.close();
    const liveUi = ui as LiveUi | null;
    if (liveUi && ranToEnd) {
      // The final figures, then the run's end; the page keeps showing them until the caller stops the server.
      reportToUi(true);
      await liveUi.finish();
    } else await liveUi?.server?.stop();
  }
  const summary = stats.summary();
  log(formatSummary(summary).trimEnd());
  if (options.summaryJsonPath) await writeFile(options.summaryJsonPath, JSON.stringify(summary, null, 2) + '\n');
  return { summary, failure, ui };
}

/**
 * A live stream (socket, device) starts its batch clock while the executors load the model
 * (waitForExecutors false): the wait for the first batch boundary is not added to the
 * start-up. A Kafka source waits for them: its batches are cut by backpressure's rate, and
 * batches cut before any batch completed would all get the initial rate, however long the
 * executors take.
 */
function waitsForExecutors(settings: ClassifyJobSettings): boolean {
  return settings.source.kind === 'kafka';
}

/** What the batch's Kafka streams left in the log when it was cut, or null for other sources. */
function lagOf(info: BatchInfo): number | null {
  let lag: number | null = null;
  for (const input of Object.values(info.streamIdToInputInfo)) {
    const value = input.metadata?.['lag'];
    if (typeof value === 'number') lag = (lag ?? 0) + value;
  }
  return lag;
}

/** The rate backpressure had set for the batch's input when it was cut (images/s), or null without one. */
function rateOf(info: BatchInfo): number | null {
  let rate: number | null = null;
  for (const input of Object.values(info.streamIdToInputInfo)) if (input.rateLimit !== undefined) rate = (rate ?? 0) + input.rateLimit;
  return rate;
}

function latencyBasisOf(settings: ClassifyJobSettings): string {
  if (settings.output.kind === 'kafka') return 'from the batch time to the end of the batch: the executors produce the results';
  if (settings.source.kind === 'kafka') return 'from the Kafka record timestamp to the result written';
  return 'from the batch time, the end of the interval the image arrived in, to the result written';
}
