import type { Writable } from 'node:stream';

/** Where a sender's chunks come from. */
export interface ChunkSource {
  /** The next chunk to write. */
  next(): Buffer | Promise<Buffer>;
  /** Called when a chunk has been handed to the kernel: from then on it may be reused. */
  written?(chunk: Buffer): void;
  /** Messages in a chunk. */
  messagesIn(chunk: Buffer): number;
}

/**
 * Writes chunks to `out` as fast as it takes them, for `seconds`, then ends it; resolves
 * with the number of messages written once everything is flushed.
 */
export async function pumpFor(out: Writable, seconds: number, source: ChunkSource): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let messages = 0;
  while (Date.now() < deadline) {
    const chunk = await source.next();
    messages += source.messagesIn(chunk);
    const accepted = out.write(chunk, () => source.written?.(chunk));
    if (!accepted) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise<void>((resolve) => out.end(resolve));
  return messages;
}

/** The same pre-built chunk again and again: for formats with nothing to change per message. */
export function repeatedChunk(chunk: Buffer, messagesPerChunk: number): ChunkSource {
  return { next: () => chunk, messagesIn: () => messagesPerChunk };
}
