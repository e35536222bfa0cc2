import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExecutorPool } from '@sluice/executor';
import { StreamingContext, type StreamingConfInput, type StreamingJob } from '@sluice/streaming';

export interface SubmitOptions {
  /** Path of the job module: it exports `default function job(ssc, args)`. */
  job: string;
  args?: string[];
  conf?: StreamingConfInput;
  log?: (line: string) => void;
  /**
   * `--checkpoint DIR`: checkpoint to DIR and, if DIR holds a checkpoint of an earlier
   * run of this job, recover from it (StreamingContext.getOrCreate).
   */
  checkpointDir?: string;
}

export interface SubmittedApp {
  ssc: StreamingContext;
  pool: ExecutorPool;
}

/**
 * What `sluice submit` does, as a function: creates the context with executor processes,
 * lets the job module build its graph, and starts the context. The same module is loaded
 * by every executor to rebuild the graph.
 */
export async function submit(options: SubmitOptions): Promise<SubmittedApp> {
  const jobModule = resolve(options.job);
  if (!existsSync(jobModule)) throw new Error(`job file not found: ${options.job}`);
  const args = options.args ?? [];
  const pool = new ExecutorPool({ log: options.log });
  const conf = { ...(options.conf ?? {}) };
  if (options.checkpointDir) conf.checkpointDir = resolve(options.checkpointDir);
  const ssc = new StreamingContext(conf, {
    backend: pool,
    jobModule,
    jobArgs: args,
    log: options.log,
    recover: options.checkpointDir !== undefined,
  });
  const mod = (await import(pathToFileURL(jobModule).href)) as { default?: unknown; job?: unknown };
  const job = (mod.default ?? mod.job) as StreamingJob | undefined;
  if (typeof job !== 'function') {
    throw new Error(`${options.job} must export its job: \`export default function job(ssc, args) { ... }\``);
  }
  await job(ssc, args);
  if (ssc.state === 'initialized') await ssc.start();
  return { ssc, pool };
}
