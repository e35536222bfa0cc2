/**
 * What the window and state benchmarks share: both run a job on pairs generated on the
 * executors (jobs/generated-pairs.ts), take the same engine options, time every batch's
 * processing, sample the RSS of the driver and each executor, and print one JSON result.
 */
import { rssMb } from './sample-stats.js';
import { loadavg } from 'node:os';
import { submit } from '@sluice/cli';
import type { StreamingContext } from '@sluice/streaming';

/** The options both benchmarks take; `keys` differs in its default. */
export function pairsOptions(defaults: { keys: string }) {
  return {
    keys: { type: 'string', default: defaults.keys },
    rate: { type: 'string', default: '100000' },
    executors: { type: 'string', default: '2' },
    'batch-duration': { type: 'string', default: '1s' },
    partitions: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  } as const;
}

export interface PairsBenchRun {
  ssc: StreamingContext;
  /** Every completed batch's processing time, in order. */
  processing: { time: number; ms: number }[];
  /** The driver's and each local executor's process id. */
  pids: () => [string, number][];
  /** RSS in MB of the driver and each executor, now. */
  sampleRss: () => Record<string, number>;
  loadStart: number[];
}

export async function startPairsBench(options: {
  job: string;
  args: string[];
  executors: number;
  batchDuration: string;
  appName: string;
  checkpointDir?: string;
}): Promise<PairsBenchRun> {
  const loadStart = loadavg();
  const { ssc, pool } = await submit({
    job: options.job,
    args: options.args,
    conf: { executors: options.executors, batchDuration: options.batchDuration, blockManagerMemory: '2g', appName: options.appName },
    ...(options.checkpointDir ? { checkpointDir: options.checkpointDir } : {}),
    log: (line) => process.stderr.write(`sluice: ${line}\n`),
  });
  const processing: { time: number; ms: number }[] = [];
  ssc.addStreamingListener({
    onBatchCompleted: ({ batchInfo }) => {
      if (batchInfo.processingDelay !== null) processing.push({ time: batchInfo.batchTime, ms: batchInfo.processingDelay });
    },
  });
  const pids = (): [string, number][] => [['driver', process.pid], ...Object.entries(pool?.localExecutorPids ?? {})];
  const sampleRss = () => Object.fromEntries(pids().map(([name, pid]) => [name, Math.round(rssMb(pid))]));
  return { ssc, processing, pids, sampleRss, loadStart };
}



/** The load averages for a result, two decimals. */
export function loadFigures(load: number[] = loadavg()): number[] {
  return load.map((l) => Number(l.toFixed(2)));
}

export function printResult(result: object, json: boolean): void {
  process.stdout.write(`${json ? JSON.stringify(result) : JSON.stringify(result, null, 2)}\n`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
