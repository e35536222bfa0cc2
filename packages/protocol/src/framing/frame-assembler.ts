/**
 * Collects the body of one frame whose length is known from its header. The body buffer
 * is allocated once, when the header has been read, and chunks are copied into it as they
 * arrive: a 10 MB image costs one copy, never a series of growing concatenations.
 */
export class FrameAssembler {
  private body: Buffer | null = null;
  private filled = 0;

  get active(): boolean {
    return this.body !== null;
  }

  get missing(): number {
    return this.body ? this.body.length - this.filled : 0;
  }

  get received(): number {
    return this.filled;
  }

  begin(length: number): void {
    this.body = Buffer.allocUnsafe(length);
    this.filled = 0;
  }

  /** Copies up to `missing` bytes from chunk[start..]; returns how many were taken. */
  fill(chunk: Buffer, start: number): number {
    const body = this.body!;
    const take = Math.min(body.length - this.filled, chunk.length - start);
    chunk.copy(body, this.filled, start, start + take);
    this.filled += take;
    return take;
  }

  /** The completed body; the assembler is empty afterwards. */
  take(): Buffer {
    const body = this.body!;
    this.body = null;
    this.filled = 0;
    return body;
  }

  reset(): void {
    this.body = null;
    this.filled = 0;
  }
}
