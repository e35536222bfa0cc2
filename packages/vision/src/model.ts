import { tf } from './tfjs.js';
import type { Rank } from '@tensorflow/tfjs';
import { assertBackendActive, selectBackend, type BackendChoice, type BackendName } from './backend.js';
import { readDirectoryModel, type DirectoryModelSource } from './directory-model.js';
import { prepareImagenetModel } from './imagenet/prepare-imagenet-model.js';
import { logToStderr, type Log } from './log.js';
import type { ModelKind } from './model-artifacts.js';
import type { ModelConfig } from './model-config.js';
import { DEFAULT_MODEL_SPEC, parseModelSpec, type ModelSource } from './model-spec.js';
import { readNsfwjsModel, type NsfwjsModelSource } from './nsfwjs-models.js';

export interface InputSize {
  width: number;
  height: number;
}

/** A classification network loaded into TensorFlow.js and ready to run. */
export interface LoadedModel {
  /** "nsfwjs:<name>", or the model directory's absolute path. */
  readonly name: string;
  readonly kind: ModelKind;
  /** The image size the network takes; images are resized to this. */
  readonly inputSize: InputSize;
  /** Class names, index i naming output i. */
  readonly labels: readonly string[];
  /** WordNet ids, index i for output i, for models that have them (ImageNet). */
  readonly wnids?: readonly string[];
  /** The TensorFlow.js backend the weights live on. */
  readonly backend: BackendName;
  /** Input normalisation, resize fit, and output kind. */
  readonly config: Readonly<ModelConfig>;
  /** Wall time to read, build and warm up the model. */
  readonly loadMs: number;
  /**
   * Runs the network on a [n, height, width, 3] float32 batch that is already
   * normalised (see config) and returns [n, labels.length] class probabilities.
   * The caller disposes the result; the input is left alone.
   */
  predict(batch: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

export interface LoadModelOptions {
  backend?: BackendChoice;
  /** Threads for native TensorFlow (see selectBackend). */
  threads?: number;
  log?: Log;
}

type Network = tf.LayersModel | tf.GraphModel;

/**
 * Loads a model (see parseModelSpec for the spec forms) on the process's TensorFlow.js
 * backend, choosing that backend first if nothing has yet, and runs one warm-up
 * inference so that the first real batch does not pay for weight packing and kernel
 * set-up. Each call loads a fresh copy; use getModel to share one per process.
 */
export async function loadModel(spec: string = DEFAULT_MODEL_SPEC, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const log = options.log ?? logToStderr;
  const source = parseModelSpec(spec);
  const backend = await selectBackend({ backend: options.backend ?? 'auto', log, ...(options.threads === undefined ? {} : { threads: options.threads }) });
  const started = performance.now();

  const { kind, handler, labels, wnids, config } = await readModelSource(source, log);
  const network: Network = kind === 'graph' ? await tf.loadGraphModel(handler) : await tf.loadLayersModel(handler);

  try {
    const inputSize = inputSizeOf(network, config, source);
    const predict = (batch: tf.Tensor4D): tf.Tensor2D =>
      tf.tidy(() => {
        const output = singleOutput(network.predict(batch), source);
        if (output.rank !== 2) throw new Error(`model ${source.id} returned shape [${output.shape.join(', ')}]; a classifier returns [batch, classes]`);
        return (config.output === 'logits' ? tf.softmax(output) : output) as tf.Tensor2D;
      });

    const warmUpStarted = performance.now();
    const classes = await warmUp(predict, inputSize);
    const warmUpMs = performance.now() - warmUpStarted;
    if (classes !== labels.length) {
      throw new Error(`model ${source.id} has ${classes} outputs but its labels list ${labels.length} classes`);
    }

    const loadMs = performance.now() - started;
    log(
      `vision: loaded ${source.id} (${kind}, ${inputSize.width}x${inputSize.height}, ${labels.length} classes) ` +
        `on ${backend.name} in ${Math.round(loadMs)} ms (warm-up ${Math.round(warmUpMs)} ms)`,
    );
    return {
      name: source.id,
      kind,
      inputSize,
      labels: Object.freeze([...labels]),
      ...(wnids ? { wnids: Object.freeze([...wnids]) } : {}),
      backend: backend.name,
      config: Object.freeze({ ...config }),
      loadMs,
      predict(batch) {
        assertBackendActive(backend.name);
        return predict(batch);
      },
      dispose: () => network.dispose(),
    };
  } catch (error) {
    network.dispose();
    throw error;
  }
}

async function readModelSource(source: ModelSource, log: Log): Promise<DirectoryModelSource | (NsfwjsModelSource & { wnids?: undefined })> {
  switch (source.type) {
    case 'nsfwjs':
      return readNsfwjsModel(source.name);
    case 'directory':
      return readDirectoryModel(source.directory);
    case 'imagenet':
      return readDirectoryModel(await prepareImagenetModel(source.name, log));
  }
}

async function warmUp(predict: (batch: tf.Tensor4D) => tf.Tensor2D, size: InputSize): Promise<number> {
  const zeros = tf.zeros<Rank.R4>([1, size.height, size.width, 3]);
  try {
    const output = predict(zeros);
    await output.data();
    output.dispose();
    return output.shape[1];
  } finally {
    zeros.dispose();
  }
}

function singleOutput(output: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap, source: ModelSource): tf.Tensor {
  if (output instanceof tf.Tensor) return output;
  const outputs = Array.isArray(output) ? output : Object.values(output);
  if (outputs.length !== 1) throw new Error(`model ${source.id} has ${outputs.length} outputs; a classifier has one`);
  return outputs[0]!;
}

/** [batch, height, width, 3] from the model's input signature, or model-config.json's inputSize. */
function inputSizeOf(network: Network, config: ModelConfig, source: ModelSource): InputSize {
  const inputs = network.inputs;
  if (inputs.length !== 1) throw new Error(`model ${source.id} has ${inputs.length} inputs; an image classifier has one`);
  // Layers models mark open dimensions null, graph models -1; graph models may omit the shape.
  const shape: readonly (number | null)[] = inputs[0]!.shape ?? [];
  if (shape.length === 0 && config.inputSize) return config.inputSize;
  if (shape.length !== 4 || (shape[3] !== 3 && shape[3] !== -1 && shape[3] !== null)) {
    throw new Error(`model ${source.id} takes input shape [${shape.join(', ')}]; expected [batch, height, width, 3]`);
  }
  const height = shape[1];
  const width = shape[2];
  if (typeof height === 'number' && height > 0 && typeof width === 'number' && width > 0) {
    if (config.inputSize && (config.inputSize.width !== width || config.inputSize.height !== height)) {
      throw new Error(`model ${source.id} takes ${width}x${height} input but its model-config.json says ${config.inputSize.width}x${config.inputSize.height}`);
    }
    return { width, height };
  }
  if (config.inputSize) return config.inputSize;
  throw new Error(`model ${source.id} does not fix its input height and width; set "inputSize" in model-config.json`);
}
