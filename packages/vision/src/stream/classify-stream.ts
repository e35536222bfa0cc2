import { isMainThread } from 'node:worker_threads';
import type { DStream } from '@sluice/streaming';
import type { BackendChoice } from '../backend.js';
import type { ClassifierInput, ClassifierOptions } from '../classifier.js';
import type { DecodeOptions } from '../decode.js';
import type { Log } from '../log.js';
import { DEFAULT_MODEL_SPEC, parseModelSpec } from '../model-spec.js';
import type { ClassifiedImage } from './classified-record.js';
import { loadClassifier } from './load-classifier.js';

export interface StreamClassifyOptions<T> {
  /** Model spec ("imagenet:efficientnet-lite0", "nsfwjs:mobilenet_v2", a model directory). Default "imagenet:efficientnet-lite0". */
  model?: string;
  /** Images per model.predict call on an executor. Default 8. */
  batchSize?: number;
  /** Classes reported per image, best first. Default 5. */
  topK?: number;
  /** Default 'auto' (tfjs-node if installed, else wasm; never the slow cpu backend silently). */
  backend?: BackendChoice;
  /** Threads native TensorFlow may use for one inference: the executor's cores. Default 1. */
  threads?: number;
  decode?: Omit<DecodeOptions, 'width' | 'height'>;
  /** Where executors log the backend and model lines. Default: stderr. */
  log?: Log;
  /**
   * Turns a record of the stream into classifier input. Default: the record itself, which
   * suits `{ name, bytes }` image frames and plain Buffers.
   */
  image?: (record: T) => ClassifierInput;
  /** When the record entered the system, if the source knows (e.g. a Kafka timestamp). */
  sentAt?: (record: T) => number | undefined;
  /**
   * Load the model on each executor as soon as the job module has built the graph, so the
   * first batch does not wait for it. Default true.
   */
  warmUp?: boolean;
}

/**
 * Classifies every image of a stream: one result per record, in partition order.
 *
 *   classify(ssc.socketStream(host, port, Converters.imageFrames), { batchSize: 10 }).print();
 *
 * Each partition is one task; the task gets the executor's classifier (getClassifier:
 * the model loads once per executor process and stays), which decodes the partition's
 * images one at a time and predicts `batchSize` of them at once. An image that cannot be
 * decoded yields `{ ok: false, kind, error }` for that record only.
 *
 * The classifier code is imported lazily, on executors only: the driver never runs
 * inference, and importing TensorFlow.js there would delay the start of the executors.
 */
export function classify<T>(stream: DStream<T>, options: StreamClassifyOptions<T> = {}): DStream<ClassifiedImage> {
  const classifierOptions = toClassifierOptions(options);
  // Fails here, on the driver, for a misspelled model rather than in every task.
  parseModelSpec(classifierOptions.model);
  const toInput = options.image ?? ((record: T) => record as unknown as ClassifierInput);
  const sentAtOf = options.sentAt;

  // On executors, the model loads while the driver waits for the first batch. If that
  // fails, the first task tries again and reports why. Only in task threads: an
  // executor's main thread builds the graph too (for its receivers) but runs no task, and
  // a model loaded there would only take a core from the task threads' start-up.
  if (stream.graph.mode === 'executor' && !isMainThread && options.warmUp !== false) {
    void loadClassifier(classifierOptions).catch(() => undefined);
  }

  return stream.transform((rdd, batchTime) =>
    rdd.mapPartitions(async (records: T[]) => {
      if (records.length === 0) return [];
      const classifier = await loadClassifier(classifierOptions).catch((err: unknown) => {
        throw new ClassifierUnavailableError(classifierOptions.model, err);
      });
      const results = await classifier.classify(records.map(toInput));
      const classifiedAt = Date.now();
      return results.map((result, i): ClassifiedImage => {
        const sentAt = sentAtOf?.(records[i]!);
        return sentAt === undefined ? { ...result, batchTime, classifiedAt } : { ...result, batchTime, classifiedAt, sentAt };
      });
    }),
  );
}

/**
 * Loads and warms up, in this process (or task thread), the classifier that classify()
 * with the same options uses: for an executor's warm-up, so that the model is ready
 * before the job and its first batch arrive. Resolves when it is ready; rejects if it
 * cannot be loaded (the first task then tries again and reports why).
 */
export async function warmUpClassify(options: Omit<StreamClassifyOptions<unknown>, 'image' | 'sentAt'> = {}): Promise<void> {
  await loadClassifier(toClassifierOptions(options));
}

/**
 * The model or backend could not be loaded on an executor: every batch will fail the same
 * way, so an application can stop at the first one (see isClassifierUnavailable).
 */
export class ClassifierUnavailableError extends Error {
  override readonly name = 'ClassifierUnavailableError';

  constructor(model: string, cause: unknown) {
    super(`${CLASSIFIER_UNAVAILABLE} (${model}): ${(cause as Error)?.message ?? cause}`, { cause });
  }
}

const CLASSIFIER_UNAVAILABLE = 'the classifier could not be loaded on the executor';

/** Whether a task failure message (as the engine reports it) is a ClassifierUnavailableError. */
export function isClassifierUnavailable(message: string): boolean {
  return message.includes(CLASSIFIER_UNAVAILABLE);
}

function toClassifierOptions<T>(options: StreamClassifyOptions<T>): ClassifierOptions & { model: string } {
  const out: ClassifierOptions & { model: string } = { model: options.model ?? DEFAULT_MODEL_SPEC };
  if (options.batchSize !== undefined) out.batchSize = positiveInteger(options.batchSize, 'batchSize');
  if (options.topK !== undefined) out.topK = positiveInteger(options.topK, 'topK');
  if (options.backend !== undefined) out.backend = options.backend;
  if (options.threads !== undefined) out.threads = positiveInteger(options.threads, 'threads');
  if (options.decode !== undefined) out.decode = options.decode;
  if (options.log !== undefined) out.log = options.log;
  return out;
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`classify(): ${field} must be a positive integer, got ${value}`);
  return value;
}
