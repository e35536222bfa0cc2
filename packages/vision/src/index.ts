export { decodeImage, DEFAULT_MAX_INPUT_PIXELS } from './decode.js';
export type { DecodedImage, DecodeOptions, FailOn, ResizeFit, RgbColour } from './decode.js';
export { ImageDecodeError, isImageDecodeError } from './errors.js';
export type { ImageErrorKind } from './errors.js';
export { sniffImageFormat, SUPPORTED_FORMATS } from './image-format.js';
export type { ImageFormat, SniffResult } from './image-format.js';
export { tuneSharp } from './sharp-tuning.js';
export type { SharpTuning } from './sharp-tuning.js';

export { activeBackend, selectBackend, wasmBinaryDirectory } from './backend.js';
export type { BackendChoice, BackendInfo, BackendName, BackendOptions } from './backend.js';
export { logToStderr } from './log.js';
export type { Log } from './log.js';

export { loadModel } from './model.js';
export type { InputSize, LoadedModel, LoadModelOptions } from './model.js';
export { disposeCachedModels, getModel } from './model-cache.js';
export { DEFAULT_MODEL_SPEC, parseModelSpec } from './model-spec.js';
export type { ModelSource } from './model-spec.js';
export { DEFAULT_MODEL_CONFIG, MODEL_CONFIG_FILE } from './model-config.js';
export type { ModelConfig } from './model-config.js';
export type { ModelKind } from './model-artifacts.js';
export { NSFWJS_LABELS, NSFWJS_MODEL_NAMES } from './nsfwjs-models.js';
export type { NsfwjsModelName } from './nsfwjs-models.js';

export { createClassifier, DEFAULT_BATCH_SIZE, DEFAULT_TOP_K } from './classifier.js';
export type {
  ClassificationFailure,
  ClassificationResult,
  ClassificationSuccess,
  Classifier,
  ClassifierInput,
  ClassifierOptions,
} from './classifier.js';
export { clearClassifierCache, getClassifier } from './classifier-cache.js';
export type { LabelScore } from './top-k.js';

export { IMAGENET_MODEL_NAMES } from './imagenet/imagenet-models.js';
export type { ImagenetModelName } from './imagenet/imagenet-models.js';
export { imagenetModelDirectory, prepareImagenetModel } from './imagenet/prepare-imagenet-model.js';
export { sluiceCacheDir } from '@sluice/protocol/files';
export { fetchWheel } from './fetch/pypi-wheel.js';
export type { WheelRequest } from './fetch/pypi-wheel.js';
export { listZipEntries, readZipEntry, readZipFile } from './fetch/zip-entry.js';
export type { ZipEntry } from './fetch/zip-entry.js';
export { samplePhotos, SCIKIT_IMAGE_WHEEL } from './fetch/sample-photos.js';
export type { SamplePhoto } from './fetch/sample-photos.js';
export { imagenetLabels } from './imagenet/imagenet-classes.js';
export { tfjsNodeBindingBuilt } from './native/tfjs-node-binding.js';
