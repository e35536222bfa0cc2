import type { ImageLibrary } from './image-library.js';
import { SeededRandom } from '@sluice/protocol';

/** The payload of the n-th message or frame. */
export type PayloadSource = (n: number) => Buffer | Promise<Buffer>;

/**
 * Payloads of `size` bytes of seeded random data (incompressible, like sensor data). They
 * are cut at varying offsets from one pool generated up front, so making them costs
 * nothing per message. A payload may share memory with the pool: copy before modifying.
 */
export function randomPayloads(size: number, seed: number): PayloadSource {
  const spread = 65_536;
  const pool = new SeededRandom(seed ^ 0x9e3779b9).bytes(size + spread);
  return (n) => {
    const offset = (n * 4099) % (spread + 1);
    return pool.subarray(offset, offset + size);
  };
}

/** The image files of a directory, cycled. */
export function imagePayloads(library: ImageLibrary): PayloadSource {
  return (n) => library.read(library.fileAt(n));
}
