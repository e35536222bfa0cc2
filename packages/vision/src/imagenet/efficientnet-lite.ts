import { tf } from '../tfjs.js';
import { permutedValues, type TorchTensor } from './torch-legacy.js';

/**
 * Rebuilds an EfficientNet-Lite ImageNet classifier as a TF.js layers model from a
 * PyTorch state dict with the usual EfficientNet-PyTorch names (_conv_stem, _bn0,
 * _blocks.N._expand_conv / _depthwise_conv / _project_conv with _bn0/_bn1/_bn2,
 * _conv_head, _bn1, _fc).
 *
 * EfficientNet-Lite is EfficientNet without squeeze-and-excitation and with ReLU6
 * instead of swish. Each block is an inverted residual: 1x1 expansion (absent when the
 * expansion ratio is 1), kxk depthwise convolution, 1x1 projection, and a skip
 * connection when the block keeps its size. Kernel sizes and channel counts are read
 * from the weights; what the weights cannot say is each stage's stride, which is
 * EfficientNet's fixed [1, 2, 2, 2, 1, 2, 1] (a new stage starts where the output
 * channel count changes).
 *
 * Every batch normalisation is folded into the convolution before it (scale the kernel,
 * shift the bias: exact for inference), so the model has no batch-norm layers to run.
 * Padding is TensorFlow's 'same' (the weights come from TensorFlow checkpoints).
 */
const STAGE_STRIDES = [1, 2, 2, 2, 1, 2, 1];
const BATCH_NORM_EPSILON = 1e-3;

export interface EfficientNetLiteOptions {
  inputSize: number;
}

type Weights = Map<string, TorchTensor>;

export function buildEfficientNetLite(weights: Weights, options: EfficientNetLiteOptions): tf.LayersModel {
  const take = (name: string): TorchTensor => {
    const tensor = weights.get(name);
    if (!tensor) throw new Error(`the checkpoint has no ${name}; it is not an EfficientNet-Lite state dict`);
    return tensor;
  };
  const blocks = blockNames(weights);
  const strides = stageStrides(blocks.map((block) => take(`${block}._project_conv.weight`).shape[0]!));

  const input = tf.input({ shape: [options.inputSize, options.inputSize, 3], name: 'image' });
  let x = convolution(input, take('_conv_stem.weight'), batchNorm(take, '_bn0'), 2, 'stem', true);
  blocks.forEach((block, i) => {
    const blockInput = x;
    const hasExpansion = weights.has(`${block}._expand_conv.weight`);
    if (hasExpansion) x = convolution(x, take(`${block}._expand_conv.weight`), batchNorm(take, `${block}._bn0`), 1, `block${i}_expand`, true);
    x = depthwise(x, take(`${block}._depthwise_conv.weight`), batchNorm(take, `${block}._bn1`), strides[i]!, `block${i}_depthwise`);
    x = convolution(x, take(`${block}._project_conv.weight`), batchNorm(take, `${block}._bn2`), 1, `block${i}_project`, false);
    const inChannels = channelsOf(blockInput);
    const outChannels = channelsOf(x);
    if (strides[i] === 1 && inChannels === outChannels) {
      x = tf.layers.add({ name: `block${i}_add` }).apply([blockInput, x]) as tf.SymbolicTensor;
    }
  });
  x = convolution(x, take('_conv_head.weight'), batchNorm(take, '_bn1'), 1, 'head', true);
  x = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
  const fc = take('_fc.weight');
  const classes = fc.shape[0]!;
  const dense = tf.layers.dense({ units: classes, activation: 'softmax', name: 'predictions' });
  const output = dense.apply(x) as tf.SymbolicTensor;
  dense.setWeights([tf.tensor2d(permutedValues(fc, [1, 0]), [fc.shape[1]!, classes]), tf.tensor1d(permutedValues(take('_fc.bias'), [0]))]);
  return tf.model({ inputs: input, outputs: output, name: 'efficientnet_lite' });
}

interface BatchNorm {
  scale: Float32Array;
  shift: Float32Array;
}

function batchNorm(take: (name: string) => TorchTensor, prefix: string): BatchNorm {
  const gamma = permutedValues(take(`${prefix}.weight`), [0]);
  const beta = permutedValues(take(`${prefix}.bias`), [0]);
  const mean = permutedValues(take(`${prefix}.running_mean`), [0]);
  const variance = permutedValues(take(`${prefix}.running_var`), [0]);
  const scale = new Float32Array(gamma.length);
  const shift = new Float32Array(gamma.length);
  for (let c = 0; c < gamma.length; c++) {
    scale[c] = gamma[c]! / Math.sqrt(variance[c]! + BATCH_NORM_EPSILON);
    shift[c] = beta[c]! - mean[c]! * scale[c]!;
  }
  return { scale, shift };
}

/** A full convolution with the batch norm folded in: PyTorch [out, in, h, w] becomes [h, w, in, out]. */
function convolution(x: tf.SymbolicTensor, weight: TorchTensor, norm: BatchNorm, strides: number, name: string, relu6: boolean): tf.SymbolicTensor {
  const [out, inChannels, kh, kw] = weight.shape as [number, number, number, number];
  const kernel = permutedValues(weight, [2, 3, 1, 0]);
  for (let i = 0; i < kernel.length; i++) kernel[i]! *= norm.scale[i % out]!;
  const layer = tf.layers.conv2d({ filters: out, kernelSize: [kh, kw], strides, padding: 'same', useBias: true, name });
  const y = layer.apply(x) as tf.SymbolicTensor;
  layer.setWeights([tf.tensor4d(kernel, [kh, kw, inChannels, out]), tf.tensor1d(norm.shift)]);
  return relu6 ? activation(y, `${name}_relu6`) : y;
}

/** A depthwise convolution with the batch norm folded in: PyTorch [channels, 1, h, w] becomes [h, w, channels, 1]. */
function depthwise(x: tf.SymbolicTensor, weight: TorchTensor, norm: BatchNorm, strides: number, name: string): tf.SymbolicTensor {
  const [channels, multiplier, kh, kw] = weight.shape as [number, number, number, number];
  if (multiplier !== 1) throw new Error(`${name}: depthwise weights of shape [${weight.shape.join(', ')}] are not one filter per channel`);
  const kernel = permutedValues(weight, [2, 3, 0, 1]);
  for (let i = 0; i < kernel.length; i++) kernel[i]! *= norm.scale[i % channels]!;
  const layer = tf.layers.depthwiseConv2d({ kernelSize: [kh, kw], strides, padding: 'same', depthMultiplier: 1, useBias: true, name });
  const y = layer.apply(x) as tf.SymbolicTensor;
  layer.setWeights([tf.tensor4d(kernel, [kh, kw, channels, 1]), tf.tensor1d(norm.shift)]);
  return activation(y, `${name}_relu6`);
}

function activation(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return tf.layers.reLU({ maxValue: 6, name }).apply(x) as tf.SymbolicTensor;
}

function channelsOf(x: tf.SymbolicTensor): number {
  return x.shape[x.shape.length - 1]!;
}

/** `_blocks.0`, `_blocks.1`, ... in order, from the weight names. */
function blockNames(weights: Weights): string[] {
  const indices = new Set<number>();
  for (const name of weights.keys()) {
    const match = /^_blocks\.(\d+)\./.exec(name);
    if (match) indices.add(Number(match[1]));
  }
  const sorted = [...indices].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.some((index, i) => index !== i)) throw new Error('the checkpoint has no consecutive _blocks.N weights');
  return sorted.map((index) => `_blocks.${index}`);
}

/** Each block's stride: a block whose output width differs from the previous block's starts a new stage. */
function stageStrides(outputChannels: number[]): number[] {
  let stage = -1;
  return outputChannels.map((channels, i) => {
    const startsStage = i === 0 || channels !== outputChannels[i - 1];
    if (!startsStage) return 1;
    stage++;
    if (stage >= STAGE_STRIDES.length) throw new Error(`the checkpoint has more than ${STAGE_STRIDES.length} stages; not an EfficientNet-Lite`);
    return STAGE_STRIDES[stage]!;
  });
}
