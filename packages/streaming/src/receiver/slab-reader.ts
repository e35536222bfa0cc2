import type { OnReadOpts } from 'node:net';

const MIN_SLAB = 64 * 1024;
const MAX_SLAB = 16 * 1024 * 1024;
/** A read that leaves less room than this starts a new slab. */
const MIN_READ = 64 * 1024;

/**
 * Socket reads straight into large slabs (net.connect's `onread`), for receivers.
 *
 * Node otherwise allocates a fresh 64 KiB buffer per read. A receiver keeps what it reads
 * until the batch is done, so a 1 MB frame would stay as 16 separate chunks and be copied
 * into one buffer when the task reads it. Reading into a slab instead puts consecutive
 * reads next to each other in memory: a frame that arrives in many reads is still one
 * contiguous view (BlockBuilder joins adjacent views), and the task reads it without a
 * copy.
 *
 * Slabs are never reused: a region handed out stays as it is for as long as anything
 * refers to it (the framer contract), and memory comes back through the garbage collector.
 * The slab size follows the stream: it doubles while reads fill the room they get, up to
 * 16 MiB, and falls back to 64 KiB for a trickle, so that a few small records kept by a job
 * do not pin large slabs. Why 16 MiB and not more: glibc serves allocations below its mmap
 * threshold (at most 32 MiB) from the heap, where memory the collector frees is used again;
 * larger slabs would each be mapped afresh, and the kernel would zero every page of them.
 * (A frame larger than what is left of a slab spans two; the task copies it once.)
 */
export function slabReader(
  onChunk: (chunk: Buffer) => boolean | void,
  /**
   * The most bytes to read at a time now (0: as much as there is room for). A
   * rate-limited receiver reads in small steps, so that its pauses keep it near its rate.
   */
  readLimit: () => number = () => 0,
): OnReadOpts {
  let slabSize = MIN_SLAB;
  let slab = Buffer.allocUnsafe(slabSize);
  let used = 0;
  return {
    buffer: () => {
      if (slab.length - used < MIN_READ) {
        slab = Buffer.allocUnsafe(slabSize);
        used = 0;
      }
      const limit = readLimit();
      return limit > 0 ? slab.subarray(used, Math.min(slab.length, used + limit)) : slab.subarray(used);
    },
    callback: (nread: number, buf: Uint8Array) => {
      const room = buf.byteLength;
      const chunk = Buffer.from(buf.buffer, buf.byteOffset, nread);
      used += nread;
      if (nread >= room / 2 || nread >= MIN_READ) slabSize = Math.min(MAX_SLAB, slabSize * 2);
      else if (nread < MIN_READ / 16) slabSize = MIN_SLAB;
      return onChunk(chunk) !== false;
    },
  };
}

/**
 * The pieces of one record as a single Buffer: a view when they lie next to each other in
 * memory (reads into one slab), a copy only where they do not.
 */
export function joinAdjacent(pieces: Buffer[], length: number): Buffer {
  const first = pieces[0];
  if (!first) return Buffer.alloc(0);
  for (let i = 1; i < pieces.length; i++) if (!continues(pieces[i - 1]!, pieces[i]!)) return Buffer.concat(pieces, length);
  return Buffer.from(first.buffer, first.byteOffset, length);
}

/** Whether `next` starts in memory exactly where `prev` ends (two reads into one slab). */
export function continues(prev: Uint8Array, next: Uint8Array): boolean {
  return prev.buffer === next.buffer && prev.byteOffset + prev.byteLength === next.byteOffset;
}
