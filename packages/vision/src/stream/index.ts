/**
 * @sluice/vision/stream: classification as a DStream operation. Kept apart from the
 * package's main entry so that a driver can build the graph without loading TensorFlow.js.
 */
export { classify, ClassifierUnavailableError, isClassifierUnavailable, warmUpClassify } from './classify-stream.js';
export type { StreamClassifyOptions } from './classify-stream.js';
export type { ClassificationTiming, ClassifiedImage } from './classified-record.js';
export type { ClassificationFailure, ClassificationSuccess, ClassifierInput } from '../classifier.js';
export type { LabelScore } from '../top-k.js';
export type { ImageErrorKind } from '../errors.js';
export { NSFWJS_LABELS } from '../nsfwjs-models.js';
export { DEFAULT_MODEL_SPEC, parseModelSpec } from '../model-spec.js';
export type { ModelSource } from '../model-spec.js';
