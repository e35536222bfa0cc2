import type { OutputSpec } from './output-spec.js';
import type { SourceSpec } from './source-spec.js';

/**
 * Everything the job module needs to build its graph. It travels as the job's only
 * argument, in JSON, so the driver and every executor build exactly the same graph.
 */
export interface ClassifyJobSettings {
  source: SourceSpec;
  /** Partitions each batch is spread over before classifying; 0 keeps the source's. */
  partitions: number;
  model: string;
  /** Images per model.predict call. */
  batchSize: number;
  topK: number;
  backend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  output: OutputSpec;
}

export function encodeJobSettings(settings: ClassifyJobSettings): string[] {
  return [JSON.stringify(settings)];
}

export function decodeJobSettings(args: string[]): ClassifyJobSettings {
  const [json] = args;
  if (!json) throw new Error('the classify job takes its settings as one JSON argument (see apps/classify/src/job/job-settings.ts)');
  let settings: ClassifyJobSettings;
  try {
    settings = JSON.parse(json) as ClassifyJobSettings;
  } catch (err) {
    throw new Error(`the classify job's argument is not JSON: ${(err as Error).message}`);
  }
  if (!settings?.source?.kind || !settings.output?.kind) throw new Error('the classify job settings need a source and an output');
  return settings;
}
