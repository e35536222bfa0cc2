import { deserialize, serialize } from 'node:v8';

/** How the records of one partition are written to and read from a checkpoint file. */
export interface PartitionCodec<T> {
  encode(items: T[]): Uint8Array;
  decode(bytes: Uint8Array): T[];
}

/** Plain values (pairs, numbers, strings, plain objects): v8's structured serialization. */
export function v8Codec<T>(): PartitionCodec<T> {
  return {
    encode: (items) => serialize(items),
    decode: (bytes) => deserialize(bytes) as T[],
  };
}
