import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResizeFit } from './decode.js';

/**
 * How to feed a model and read its output. Models differ here and nothing in
 * model.json says which convention a model was trained with, so a model directory
 * may carry a model-config.json with any of these fields:
 *
 *   { "scale": 0.00392156862745098, "offset": 0, "fit": "fill", "output": "probabilities" }
 *
 * Each input byte v (0..255) becomes v * scale + offset: 1/255 and 0 give [0, 1]
 * (nsfwjs, TF Hub image models); 2/255 and -1 give [-1, 1] (Keras MobileNet's
 * preprocess_input). "output": "logits" applies a softmax to the model's output.
 * "crop" (with "fit": "cover") keeps that fraction of the short side, centred, before
 * resizing: 0.875 is ImageNet evaluation's "resize to 256, centre-crop 224".
 */
export interface ModelConfig {
  scale: number;
  offset: number;
  fit: ResizeFit;
  output: 'probabilities' | 'logits';
  /** Fraction (0, 1] of the short side kept by a centre crop; 1 (default) keeps the whole short side. */
  crop?: number;
  /** Needed only when the model's input shape leaves height and width open. */
  inputSize?: { width: number; height: number };
}

export const DEFAULT_MODEL_CONFIG: ModelConfig = { scale: 1 / 255, offset: 0, fit: 'fill', output: 'probabilities' };

export const MODEL_CONFIG_FILE = 'model-config.json';

export async function readModelConfig(directory: string): Promise<ModelConfig> {
  const path = join(directory, MODEL_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { ...DEFAULT_MODEL_CONFIG };
    throw error;
  }
  return parseModelConfig(JSON.parse(text) as unknown, path);
}

export function parseModelConfig(value: unknown, origin: string): ModelConfig {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${origin}: expected a JSON object`);
  const raw = value as Record<string, unknown>;
  const config: ModelConfig = { ...DEFAULT_MODEL_CONFIG };
  if (raw.scale !== undefined) config.scale = finiteNumber(raw.scale, 'scale', origin);
  if (raw.offset !== undefined) config.offset = finiteNumber(raw.offset, 'offset', origin);
  if (raw.fit !== undefined) {
    if (raw.fit !== 'fill' && raw.fit !== 'cover') throw new Error(`${origin}: "fit" must be "fill" or "cover"`);
    config.fit = raw.fit;
  }
  if (raw.output !== undefined) {
    if (raw.output !== 'probabilities' && raw.output !== 'logits') {
      throw new Error(`${origin}: "output" must be "probabilities" or "logits"`);
    }
    config.output = raw.output;
  }
  if (raw.crop !== undefined) {
    const crop = finiteNumber(raw.crop, 'crop', origin);
    if (!(crop > 0 && crop <= 1)) throw new Error(`${origin}: "crop" must be in (0, 1]`);
    config.crop = crop;
  }
  if (raw.inputSize !== undefined) config.inputSize = parseInputSize(raw.inputSize, origin);
  return config;
}

function parseInputSize(value: unknown, origin: string): { width: number; height: number } {
  const size = typeof value === 'number' ? [value, value] : value;
  if (
    Array.isArray(size) &&
    size.length === 2 &&
    size.every((n) => Number.isInteger(n) && (n as number) > 0)
  ) {
    return { width: size[0] as number, height: size[1] as number };
  }
  throw new Error(`${origin}: "inputSize" must be a positive integer or [width, height]`);
}

function finiteNumber(value: unknown, field: string, origin: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${origin}: "${field}" must be a finite number`);
  return value;
}
