import {
  decodeImageFrame,
  ImageFrameFramer,
  LengthPrefixedFramer,
  NewlineFramer,
  VarintDelimitedFramer,
  type Framer,
  type FramerOptions,
  type ImageRecord,
} from '@sluice/protocol';
import type { RecordDecoder } from '../rdd/block-rdd.js';

/**
 * socketStream's converter: Spark's is one function from an InputStream to an iterator of
 * records. Sluice splits it in two so the driver only frames and the executors decode:
 * `createFramer` finds record boundaries in the byte stream (driver, per connection), and
 * `decode` turns one record's bytes into a value (executor, per record).
 */
export interface Converter<T> {
  readonly name: string;
  createFramer(options: FramerOptions): Framer;
  decode: RecordDecoder<T>;
}

/** UTF-8 text, one record per line ("\n" or "\r\n"). */
export const lines: Converter<string> = {
  name: 'lines',
  createFramer: (o) => new NewlineFramer(o),
  decode: Object.assign((bytes: Buffer) => bytes.toString('utf8'), {
    fromRange: (data: Buffer, start: number, end: number) => data.toString('utf8', start, end),
  }),
};

/** A 4-byte big-endian length, then that many bytes; the record is the bytes. */
export const lengthPrefixed: Converter<Buffer> = {
  name: 'length-prefixed',
  createFramer: (o) => new LengthPrefixedFramer(o),
  decode: (bytes) => bytes,
};

/**
 * The image frame: a 28-byte name, a 4-byte big-endian length, the image bytes; or its
 * long-name variant, which carries names over 28 bytes whole (see @sluice/protocol's
 * image-frame). A classic frame whose name fills the field may hold a cut name: the
 * first such name in a process is reported on stderr (on an executor, the driver's log
 * shows it).
 */
export const imageFrames: Converter<ImageRecord> = {
  name: 'image-frames',
  createFramer: (o) => new ImageFrameFramer(o),
  decode: (bytes) => {
    const { name, bytes: image, nameMayBeCut } = decodeImageFrame(bytes);
    if (nameMayBeCut) warnOfCutName(name);
    return { name, bytes: image };
  },
};

let cutNameReported = false;

function warnOfCutName(name: string): void {
  if (cutNameReported) return;
  cutNameReported = true;
  process.stderr.write(
    `image frames: '${name}' fills the frame's 28-byte name field, so the sender may have cut a longer name ` +
      `(long-name frames carry whole names; sluice-sender images sends them unless --cut-names); said once\n`,
  );
}

/**
 * Protobuf's length-delimited messages (varint length, message). Without a decoder the
 * record is the message's bytes; with one (for example a protobufjs Type's
 * `(b) => Type.toObject(Type.decode(b))`) it is the decoded message.
 */
export function protobufDelimited(): Converter<Buffer>;
export function protobufDelimited<T>(decode: RecordDecoder<T>): Converter<T>;
export function protobufDelimited<T>(decode?: RecordDecoder<T>): Converter<T | Buffer> {
  return {
    name: 'protobuf-delimited',
    createFramer: (o) => new VarintDelimitedFramer(o),
    decode: decode ?? ((bytes) => bytes),
  };
}

export const Converters = { lines, lengthPrefixed, imageFrames, protobufDelimited };
