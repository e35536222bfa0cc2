import type { BackendChoice } from './backend.js';
import { batchTensor } from './batch-tensor.js';
import { decodeImage, type DecodedImage, type DecodeOptions } from './decode.js';
import { ImageDecodeError, type ImageErrorKind } from './errors.js';
import { logToStderr, type Log } from './log.js';
import type { LoadedModel } from './model.js';
import { getModel } from './model-cache.js';
import { DEFAULT_MODEL_SPEC } from './model-spec.js';
import { topK as topScores, type LabelScore } from './top-k.js';

export interface ClassifierOptions {
  /** A model spec ("imagenet:efficientnet-lite0", "nsfwjs:mobilenet_v2", a model directory) or a loaded model. Default "imagenet:efficientnet-lite0". */
  model?: string | LoadedModel;
  /** Images per model.predict call. Default 8. */
  batchSize?: number;
  /** Classes reported per image, best first. Default 5 (capped at the model's class count). */
  topK?: number;
  /** Default 'auto' (tfjs-node, else wasm; never cpu unless named). */
  backend?: BackendChoice;
  /** Threads native TensorFlow may use (intra-op); wasm runs one. Default: every core of the machine. */
  threads?: number;
  /** Receives one-line diagnostics. Default: stderr. */
  log?: Log;
  /** Decoding limits; `fit` defaults to the model's own (nsfwjs: 'fill'). */
  decode?: Omit<DecodeOptions, 'width' | 'height'>;
}

/** Raw image bytes, optionally with a name that is echoed in the result. */
export type ClassifierInput = Buffer | Uint8Array | { name?: string; bytes: Buffer | Uint8Array };

export interface ClassificationSuccess {
  ok: true;
  name?: string;
  /** Best first. */
  top: LabelScore[];
}

export interface ClassificationFailure {
  ok: false;
  name?: string;
  /** Why this image could not be classified, e.g. "truncated or corrupt image data: ...". */
  error: string;
  kind: ImageErrorKind;
}

export type ClassificationResult = ClassificationSuccess | ClassificationFailure;

export interface Classifier {
  readonly model: LoadedModel;
  readonly batchSize: number;
  readonly topK: number;
  /**
   * One result per input, in input order. An image that cannot be decoded gets a
   * failure result and does not affect the others; a failure of the model itself
   * rejects the whole call.
   */
  classify(images: readonly ClassifierInput[]): Promise<ClassificationResult[]>;
}

export const DEFAULT_BATCH_SIZE = 8;
export const DEFAULT_TOP_K = 5;

/**
 * A classifier over the process-wide copy of the model (see getModel), so creating
 * several classifiers for one model loads it once.
 */
export async function createClassifier(options: ClassifierOptions = {}): Promise<Classifier> {
  const batchSize = positiveInteger(options.batchSize ?? DEFAULT_BATCH_SIZE, 'batchSize');
  const k = positiveInteger(options.topK ?? DEFAULT_TOP_K, 'topK');
  const model =
    typeof options.model === 'object'
      ? options.model
      : await getModel(options.model ?? DEFAULT_MODEL_SPEC, {
          backend: options.backend ?? 'auto',
          log: options.log ?? logToStderr,
          ...(options.threads === undefined ? {} : { threads: options.threads }),
        });
  const decodeOptions: DecodeOptions = {
    fit: model.config.fit,
    ...(model.config.crop === undefined ? {} : { crop: model.config.crop }),
    ...options.decode,
    width: model.inputSize.width,
    height: model.inputSize.height,
  };
  const topK = Math.min(k, model.labels.length);

  async function classify(images: readonly ClassifierInput[]): Promise<ClassificationResult[]> {
    const results = new Array<ClassificationResult>(images.length);
    // Decoded images wait here until a full batch is ready, so undecodable inputs do
    // not shrink batches and at most batchSize decoded images are held at once.
    let waiting: { index: number; image: DecodedImage }[] = [];
    const runWaiting = async () => {
      const batch = waiting;
      waiting = [];
      const tops = await predictTop(model, batch.map((entry) => entry.image), topK);
      batch.forEach((entry, i) => {
        results[entry.index] = withName({ ok: true, top: tops[i]! }, nameOf(images[entry.index]!));
      });
    };

    for (let index = 0; index < images.length; index++) {
      const input = images[index]!;
      try {
        waiting.push({ index, image: await decodeImage(bytesOf(input), decodeOptions) });
      } catch (error) {
        if (!(error instanceof ImageDecodeError)) throw error;
        results[index] = withName({ ok: false, error: error.message, kind: error.kind }, nameOf(input));
        continue;
      }
      if (waiting.length === batchSize) await runWaiting();
    }
    if (waiting.length > 0) await runWaiting();
    return results;
  }

  return { model, batchSize, topK, classify };
}

async function predictTop(model: LoadedModel, images: DecodedImage[], k: number): Promise<LabelScore[][]> {
  const input = batchTensor(images, model.inputSize, model.config);
  let scores: Float32Array | Int32Array | Uint8Array;
  try {
    const output = model.predict(input);
    try {
      scores = await output.data();
    } finally {
      output.dispose();
    }
  } finally {
    input.dispose();
  }
  return images.map((_, row) => topScores(scores, row, model.labels, k, model.wnids));
}

function bytesOf(input: ClassifierInput): Buffer | Uint8Array {
  return input instanceof Uint8Array ? input : (input as { bytes: Buffer | Uint8Array } | undefined)?.bytes as Buffer | Uint8Array;
}

function nameOf(input: ClassifierInput): string | undefined {
  return input instanceof Uint8Array ? undefined : (input as { name?: string } | undefined)?.name;
}

function withName<T extends ClassificationResult>(result: T, name: string | undefined): T {
  return name === undefined ? result : { name, ...result };
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${field} must be a positive integer, got ${value}`);
  return value;
}
