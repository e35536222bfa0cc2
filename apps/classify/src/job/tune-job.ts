/**
 * The classifier as `sluice tune --source images` runs it: the job's arguments are the
 * host and port of the image sender and the inference batch size (tune's convention),
 * then the model settings as JSON. Each batch keeps the partitions tune gave it (one
 * block per block interval), and results go to standard output as JSON lines.
 */
import type { StreamingContext } from '@sluice/streaming';
import { DEFAULT_MODEL_SPEC } from '@sluice/vision/stream';
import classifyJob from './classify-job.js';
import { encodeJobSettings, type ClassifyJobSettings } from './job-settings.js';

export interface TuneModelSettings {
  model?: string;
  topK?: number;
  backend?: ClassifyJobSettings['backend'];
}

export default async function classifyTuneJob(ssc: StreamingContext, args: string[]): Promise<void> {
  const [host, port, batchSize, json] = args;
  if (!host || !port || !batchSize) throw new Error('usage: tune-job.ts <host> <port> <inference batch size> [model settings JSON]');
  const model = (json ? JSON.parse(json) : {}) as TuneModelSettings;
  const settings: ClassifyJobSettings = {
    source: { kind: 'socket', host, port: Number(port) },
    partitions: 0,
    model: model.model ?? DEFAULT_MODEL_SPEC,
    batchSize: Number(batchSize),
    topK: model.topK ?? 3,
    backend: model.backend ?? 'auto',
    output: { kind: 'stdout' },
  };
  await classifyJob(ssc, encodeJobSettings(settings));
}
