import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExecutorPool, type ExecutorWarmUp } from '@sluice/executor';
import type { KubernetesLauncher, KubernetesLauncherOptions } from '@sluice/kubernetes';
import { readSecret } from '@sluice/protocol';
import {
  LocalBackend,
  parseMaster,
  StreamingContext,
  type StreamingConfInput,
  type StreamingJob,
  type TaskBackend,
} from '@sluice/streaming/internal';

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
  /** Called after the job built its graph, before the context starts (the UI attaches here). */
  beforeStart?: (ssc: StreamingContext) => void | Promise<void>;
  /** `--secret-file FILE`: the executors' shared secret (default: SLUICE_SECRET, else generated). */
  secretFile?: string;
  /** `--tls-cert`/`--tls-key`: serve executors over TLS. */
  tls?: { certFile: string; keyFile: string };
  /** With `master: 'k8s://https://HOST:PORT'`: the executor pods (the image is required). */
  kubernetes?: Omit<KubernetesLauncherOptions, 'apiServer' | 'log'>;
  /**
   * Run by the local executors' task threads as they start, while this process loads the
   * job and starts the context (see ExecutorWarmUp in @sluice/executor).
   */
  executorWarmUp?: ExecutorWarmUp;
}

export interface SubmittedApp {
  ssc: StreamingContext;
  /** Where the tasks run. */
  backend: TaskBackend;
  /** The executor processes; null in local mode (`master: 'local[N]'`). */
  pool: ExecutorPool | null;
  /** With a k8s:// master: what starts the executor pods (its appId labels them). */
  kubernetes: KubernetesLauncher | null;
}

/**
 * What `sluice submit` does, as a function: creates the context with executor processes
 * (or, with `master: 'local[N]'`, with tasks run inside this process), lets the job module
 * build its graph, and starts the context. The same module is loaded by every executor
 * (in local mode: loaded again in this process) to rebuild the graph.
 */
export async function submit(options: SubmitOptions): Promise<SubmittedApp> {
  const jobModule = resolve(options.job);
  if (!existsSync(jobModule)) throw new Error(`job file not found: ${options.job}`);
  const args = options.args ?? [];
  const master = parseMaster(options.conf?.master ?? 'executors');
  const secret = readSecret(options.secretFile) ?? undefined;
  let kubernetes: KubernetesLauncher | null = null;
  if (master.kind === 'k8s') {
    if (!options.kubernetes?.image) throw new Error('a k8s:// master needs the executor image (--image IMAGE)');
    // The Kubernetes client takes half a second to load: only a k8s:// master pays for it.
    const { KubernetesLauncher } = await import('@sluice/kubernetes');
    kubernetes = new KubernetesLauncher({ ...options.kubernetes, apiServer: master.apiServer, log: options.log });
  }
  const pool = master.kind === 'local'
    ? null
    : new ExecutorPool({
        log: options.log,
        secret,
        tls: options.tls,
        ...(options.executorWarmUp ? { warmUp: options.executorWarmUp } : {}),
        ...(kubernetes ? { launcher: kubernetes, registrationTimeoutMs: POD_REGISTRATION_TIMEOUT_MS } : {}),
      });
  const backend: TaskBackend = pool ?? new LocalBackend({ cores: master.kind === 'local' ? master.cores : 1 });
  const conf = { ...(options.conf ?? {}) };
  if (options.checkpointDir) conf.checkpointDir = resolve(options.checkpointDir);
  const ssc = new StreamingContext(conf, {
    backend,
    jobModule,
    jobArgs: args,
    log: options.log,
    recover: options.checkpointDir !== undefined,
  });
  // The executors start now, while this process loads the job module and (at start())
  // reads the checkpoint: on a driver restart their start-up is most of the recovery time.
  pool?.launchEarly(ssc.conf, jobModule);
  try {
    await buildAndStart(ssc, jobModule, args, options);
  } catch (err) {
    // Executors launched early must not outlive a job that failed to load or start.
    await pool?.stop().catch(() => {});
    throw err;
  }
  return { ssc, backend, pool, kubernetes };
}

async function buildAndStart(ssc: StreamingContext, jobModule: string, args: string[], options: SubmitOptions): Promise<void> {
  const mod = (await import(pathToFileURL(jobModule).href)) as { default?: unknown; job?: unknown };
  const job = (mod.default ?? mod.job) as StreamingJob | undefined;
  if (typeof job !== 'function') {
    throw new Error(`${options.job} must export its job: \`export default function job(ssc, args) { ... }\``);
  }
  // sluice submit starts the context once the job function has built the graph; a job
  // that starts it (or awaits its termination) itself bypasses --run-for and the
  // graceful stop, so it is told.
  let jobReturned = false;
  const startWatch = ssc.events$.subscribe((event) => {
    if (event.type !== 'onStreamingStarted' || jobReturned) return;
    (options.log ?? ((line: string) => process.stderr.write(`${line}\n`)))(
      `sluice: ${options.job} called ssc.start() itself; sluice submit starts the context after the job function returns, ` +
        'so remove ssc.start() and ssc.awaitTermination() from the job (otherwise --run-for and the graceful stop do not apply)',
    );
  });
  try {
    await job(ssc, args);
  } finally {
    jobReturned = true;
    startWatch.unsubscribe();
  }
  await options.beforeStart?.(ssc);
  if (ssc.state === 'initialized') await ssc.start();
}

/** Pods may wait for a node and pull their image first: the first executors get longer than local ones. */
const POD_REGISTRATION_TIMEOUT_MS = 300_000;
