/**
 * Why one image could not be turned into pixels. The kind is stable and meant for
 * code (metrics, dead-letter routing); the message is meant for people.
 */
export type ImageErrorKind =
  | 'invalid_input'
  | 'empty'
  | 'unsupported_format'
  | 'corrupt'
  | 'too_large';

const REASON_PREFIX: Record<ImageErrorKind, string> = {
  invalid_input: 'input is not a byte buffer',
  empty: 'empty input (0 bytes)',
  unsupported_format: 'not an image / unsupported format',
  corrupt: 'truncated or corrupt image data',
  too_large: 'image too large',
};

export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
  readonly kind: ImageErrorKind;

  constructor(kind: ImageErrorKind, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${REASON_PREFIX[kind]}: ${detail}` : REASON_PREFIX[kind], options);
    this.kind = kind;
  }
}

export function isImageDecodeError(error: unknown): error is ImageDecodeError {
  return error instanceof ImageDecodeError;
}
