import sharp from 'sharp';
import { ImageDecodeError } from './errors.js';
import { sniffImageFormat, type ImageFormat } from './image-format.js';
import { ensureSharpTuned } from './sharp-tuning.js';

/**
 * How the image is fitted into the model's input square:
 * - 'fill'  stretches the whole image to width x height, ignoring aspect ratio. This is
 *           what nsfwjs does (tf.image.resizeBilinear of the full frame) and how its
 *           models were trained (Keras resizes without cropping), and nothing near the
 *           edges is lost, which matters for content classification.
 * - 'cover' scales to cover the square and crops the centre: the usual ImageNet
 *           evaluation preprocessing, for models trained that way.
 */
export type ResizeFit = 'fill' | 'cover';

/**
 * sharp's strictness about damaged pixel data. 'error' (our default) rejects truncated
 * files and decoder errors but tolerates the benign warnings many cameras and phones
 * produce (e.g. "extraneous bytes before marker"). 'warning' also rejects those.
 * 'none' is deliberately not offered: it turns a truncated JPEG into a grey image.
 */
export type FailOn = 'truncated' | 'error' | 'warning';

export interface RgbColour {
  r: number;
  g: number;
  b: number;
}

export interface DecodeOptions {
  width: number;
  height: number;
  /** Default 'fill'. */
  fit?: ResizeFit;
  /**
   * With fit 'cover': the fraction of the short side kept by the centre crop. 0.875
   * gives ImageNet evaluation's "short side to 256, centre 224" for a 224 input.
   * Default 1 (the centre square of the whole short side).
   */
  crop?: number;
  /** Refuse images whose header declares more pixels than this. Default 100 megapixels. */
  maxInputPixels?: number;
  /** Default 'error'. */
  failOn?: FailOn;
  /** Colour that transparent pixels are composited over. Default white, as a viewer shows them. */
  background?: RgbColour;
}

export interface DecodedImage {
  /** Packed 8-bit sRGB, row-major, exactly width * height * 3 bytes. */
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
  /** What the input was, as stored (before orientation was applied). */
  source: { format: ImageFormat; width: number; height: number; orientation: number };
}

export const DEFAULT_MAX_INPUT_PIXELS = 100_000_000;
const WHITE: RgbColour = { r: 255, g: 255, b: 255 };

export async function decodeImage(bytes: Buffer | Uint8Array, options: DecodeOptions): Promise<DecodedImage> {
  ensureSharpTuned();
  const { width, height } = options;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`decodeImage: width and height must be positive integers, got ${width}x${height}`);
  }
  const maxInputPixels = options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  const failOn = options.failOn ?? 'error';

  if (!(bytes instanceof Uint8Array)) throw new ImageDecodeError('invalid_input', `got ${describeValue(bytes)}`);
  if (bytes.length === 0) throw new ImageDecodeError('empty');
  const sniffed = sniffImageFormat(bytes);
  if (!sniffed.supported) throw new ImageDecodeError('unsupported_format', sniffed.hint);

  const header = await readHeader(bytes, failOn);
  if (header.width * header.height > maxInputPixels) {
    throw new ImageDecodeError(
      'too_large',
      `${header.width}x${header.height} exceeds the ${maxInputPixels}-pixel limit`,
    );
  }

  // sharp runs these steps in its own fixed order (orient, flatten, resize, colour
  // conversion), whatever order they are chained in.
  const fit = options.fit ?? 'fill';
  const crop = fit === 'cover' ? (options.crop ?? 1) : 1;
  if (!(crop > 0 && crop <= 1)) throw new RangeError(`decodeImage: crop must be in (0, 1], got ${crop}`);
  // A centre crop of a centre crop is a centre crop: cover a square enlarged by 1/crop,
  // then cut the middle out of that known frame (extract after resize works on the
  // resized image, whatever the EXIF orientation was).
  const coverWidth = Math.round(width / crop);
  const coverHeight = Math.round(height / crop);
  let pipeline = sharp(bytes, { failOn, limitInputPixels: maxInputPixels, sequentialRead: true })
    .rotate() // no angle: apply the EXIF orientation, as a viewer would
    .flatten({ background: options.background ?? WHITE })
    .resize({ width: coverWidth, height: coverHeight, fit, position: 'centre' });
  if (coverWidth !== width || coverHeight !== height) {
    pipeline = pipeline.extract({
      left: Math.floor((coverWidth - width) / 2),
      top: Math.floor((coverHeight - height) / 2),
      width,
      height,
    });
  }
  pipeline = pipeline
    .toColourspace('srgb') // CMYK, grey, Lab and 16-bit inputs all end as 8-bit sRGB
    .removeAlpha()
    .raw({ depth: 'uchar' });

  let output: { data: Buffer; info: sharp.OutputInfo };
  try {
    output = await pipeline.toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw classifySharpFailure(error);
  }
  const { data, info } = output;
  if (info.channels !== 3 || data.length !== width * height * 3) {
    // Not the input's fault: a pipeline that does not yield packed RGB is a bug here.
    throw new Error(
      `decodeImage: expected ${width}x${height}x3 bytes, sharp produced ${info.width}x${info.height}x${info.channels} (${data.length} bytes)`,
    );
  }
  return {
    data,
    width,
    height,
    channels: 3,
    source: { format: sniffed.format, width: header.width, height: header.height, orientation: header.orientation },
  };
}

interface Header {
  width: number;
  height: number;
  orientation: number;
}

/**
 * Reads only the header (no pixel decoding), so an image declaring 20000x20000 is
 * refused before any large buffer exists. The pixel limit is lifted here only so we
 * can report the declared size; the decode itself runs with the limit in force.
 */
async function readHeader(bytes: Buffer | Uint8Array, failOn: FailOn): Promise<Header> {
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(bytes, { failOn, limitInputPixels: false }).metadata();
  } catch (error) {
    throw classifySharpFailure(error);
  }
  const { width, height } = metadata;
  if (!width || !height) throw new ImageDecodeError('corrupt', 'header has no image dimensions');
  return { width, height, orientation: metadata.orientation ?? 1 };
}

function classifySharpFailure(error: unknown): ImageDecodeError {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0]!.trim();
  if (/exceeds pixel limit/i.test(message)) {
    return new ImageDecodeError('too_large', firstLine, { cause: error });
  }
  // The leading bytes already matched a supported format, so anything sharp rejects
  // from here on (including "unsupported image format" for a TIFF cut short before
  // its directory) is damaged data rather than a foreign format.
  return new ImageDecodeError('corrupt', firstLine, { cause: error });
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
