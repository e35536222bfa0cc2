import { tf } from './tfjs.js';
import type { DecodedImage } from './decode.js';
import type { ModelConfig } from './model-config.js';

/**
 * Packs decoded RGB images into the [n, height, width, 3] float32 tensor a model
 * takes, mapping each byte v to v * scale + offset through a 256-entry table
 * (the same float32 values for every image, and no per-pixel arithmetic).
 */
export function batchTensor(
  images: readonly DecodedImage[],
  size: { width: number; height: number },
  config: Pick<ModelConfig, 'scale' | 'offset'>,
): tf.Tensor4D {
  const pixelsPerImage = size.width * size.height * 3;
  const lookup = new Float32Array(256);
  for (let v = 0; v < 256; v++) lookup[v] = v * config.scale + config.offset;

  const values = new Float32Array(images.length * pixelsPerImage);
  images.forEach((image, n) => {
    if (image.width !== size.width || image.height !== size.height || image.data.length !== pixelsPerImage) {
      throw new Error(`image ${n} is ${image.width}x${image.height}; the model takes ${size.width}x${size.height}`);
    }
    const base = n * pixelsPerImage;
    const bytes = image.data;
    for (let i = 0; i < pixelsPerImage; i++) values[base + i] = lookup[bytes[i]!]!;
  });
  return tf.tensor4d(values, [images.length, size.height, size.width, 3], 'float32');
}
