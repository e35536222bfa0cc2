import type { Writable } from 'node:stream';

/** The reader went away (connection reset, FIFO closed) before everything was written. */
export class ReaderGoneError extends Error {
  override name = 'ReaderGoneError';
}

/**
 * Writes to a socket or FIFO at the pace the reader takes the bytes: when write() says the
 * buffer is full it waits for 'drain', so a slow reader slows the sender down instead of
 * filling its memory.
 */
export class StreamWriter {
  private failure: Error | null = null;

  constructor(private readonly stream: Writable) {
    // Without a listener an EPIPE or ECONNRESET would crash the process.
    stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.throwIfGone();
    if (this.stream.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        this.stream.off('drain', onDrain);
        this.stream.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(this.goneError());
      this.stream.on('drain', onDrain);
      this.stream.on('close', onClose);
    });
  }

  /** Ends the stream and waits until every byte has been handed to the operating system. */
  async end(): Promise<void> {
    this.throwIfGone();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('close', () => (this.failure ? reject(this.goneError()) : resolve()));
      this.stream.once('finish', resolve);
      this.stream.end();
    });
  }

  private throwIfGone(): void {
    if (this.failure || this.stream.destroyed) throw this.goneError();
  }

  private goneError(): ReaderGoneError {
    const cause = this.failure ? ` (${(this.failure as NodeJS.ErrnoException).code ?? this.failure.message})` : '';
    return new ReaderGoneError(`the reader went away${cause}`);
  }
}
