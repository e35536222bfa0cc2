import { resolveConf } from '@sluice/streaming';
import type { ClassifyJobSettings } from '../job/job-settings.js';
import type { SourceSpec } from '../job/source-spec.js';
import type { ClassifyCommand } from './parse-options.js';

/** The job's settings for a parsed command line and a source. */
export function jobSettingsOf(cmd: ClassifyCommand, source: SourceSpec): ClassifyJobSettings {
  // Also checks the engine settings (durations, counts) before any process starts.
  const conf = resolveConf(cmd.conf);
  return {
    source,
    // Default: one partition per executor core (the context's default parallelism).
    partitions: cmd.partitions ?? conf.defaultParallelism,
    model: cmd.model,
    batchSize: cmd.batchSize,
    topK: cmd.topK,
    backend: cmd.backend,
    output: cmd.output,
  };
}
