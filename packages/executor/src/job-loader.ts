import { confAsInput, importJobModule, StreamingContext, type StreamingConf, type StreamingJob } from '@sluice/streaming/internal';

/** What an executor (and each of its task threads) needs to rebuild the driver's graph. */
export interface JobSetup {
  jobModule: string;
  jobArgs: string[];
  confJson: string;
}

/**
 * Loads the application's job module and runs its job function on an inert executor
 * context, as a Spark executor loads the application jar: the executor's main thread
 * does it (receivers placed here run from that graph) and so does every task thread
 * (tasks replay lineages on theirs). Throws when the module cannot load or has no job.
 */
export async function loadJob(setup: JobSetup, log: (line: string) => void): Promise<StreamingContext> {
  const conf = JSON.parse(setup.confJson) as StreamingConf;
  const ssc = new StreamingContext(confAsInput(conf), { mode: 'executor', log });
  const mod = await importJobModule(setup.jobModule);
  const job = (mod.default ?? mod.job) as StreamingJob | undefined;
  if (typeof job !== 'function') throw new Error(`${setup.jobModule} does not export a job function`);
  await job(ssc, setup.jobArgs);
  if (ssc.state === 'initialized') await ssc.start();
  return ssc;
}
