import { resolveConf, type StreamingConfInput } from '@sluice/streaming';
import type { SourceSpec } from '../job/source-spec.js';

/**
 * The engine settings sluice-classify adds to the user's for flow control. The classifier
 * knows what its own throughput looks like, so it turns the engine's backpressure (Spark's
 * PID rate controller, docs/flow-control.md) on for a Kafka source and seeds it:
 *
 * - backpressureEnabled: on for a Kafka source (a topic may hold any backlog; without a
 *   rate it lands in the first micro-batch and nothing comes out until all of it is
 *   classified). Off with --no-backpressure or --conf backpressureEnabled=false. Socket
 *   and device sources keep the engine's default (off: their receive buffers are bounded
 *   anyway); --conf backpressureEnabled=true turns it on for them too.
 * - backpressureInitialRate, the rate of the first batches: one inference batch per
 *   executor core per batch duration (executors x cores x --batch-size images), so the
 *   first result comes one inference batch after the model is loaded, whatever the backlog.
 * - backpressurePidMinRate, the floor of the controller: one image per executor core per
 *   second. Spark's floor (100 records/s) is above what a classifier does on a few cores
 *   (tens of images/s), so it would hold the rate above the throughput for good.
 *
 * A value the user gave (--conf KEY=VALUE) always wins.
 */
export function withFlowControl(conf: StreamingConfInput, source: SourceSpec | null, batchSize: number, backpressureFlag: boolean): StreamingConfInput {
  const out: StreamingConfInput = { ...conf };
  if (!backpressureFlag) out.backpressureEnabled = false;
  else if (conf.backpressureEnabled === undefined && source?.kind === 'kafka') out.backpressureEnabled = true;
  const resolved = resolveConf(out);
  if (!resolved.backpressureEnabled) return out;
  const cores = Math.max(1, resolved.executors) * resolved.executorCores;
  out.backpressureInitialRate ??= initialRate(cores, batchSize, resolved.batchDurationMs);
  out.backpressurePidMinRate ??= cores;
  return out;
}

/** One inference batch per executor core per batch duration, in images per second. */
export function initialRate(executorCores: number, batchSize: number, batchDurationMs: number): number {
  return (Math.max(1, executorCores) * Math.max(1, batchSize) * 1000) / batchDurationMs;
}
