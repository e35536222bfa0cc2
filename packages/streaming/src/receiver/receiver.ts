import type { RecordDecoder } from '../rdd/block-rdd';
import type { ReceiverSupervisor } from './receiver-supervisor';

/**
 * A custom source: subclass Receiver, implement onStart() and onStop(), and hand what
 * arrives to store(). The engine owns the lifecycle: it starts the receiver, cuts what
 * it stores into blocks every block interval, restarts it after errors, stops it.
 *
 *   class MyReceiver extends Receiver<string> {
 *     onStart() { this.source = open(...); this.source.on('line', (l) => this.store(l)); }
 *     onStop() { this.source.close(); }
 *   }
 *   const lines = ssc.receiverStream(new MyReceiver());
 *
 * onStart must not block: start the receiving (a socket, a timer, a thread of I/O) and
 * return. Receivers that read bytes can store whole frames with storeFrame(), which keeps
 * a view of the bytes in the current block (no copy on the driver); `decodeFrame` then turns each frame into a record on
 * the executor that processes it.
 */
export abstract class Receiver<T> {
  /** Set when the stream is created; the id of the input DStream. */
  streamId = -1;
  /** A name for the UI and logs. */
  name: string = this.constructor.name;
  /** Where the receiver should run ("driver" is where Sluice runs receivers today). */
  preferredLocation: string | undefined = undefined;
  /** @internal */
  supervisor: ReceiverSupervisor | null = null;

  abstract onStart(): void | Promise<void>;
  abstract onStop(): void | Promise<void>;

  /** Turns a stored frame's bytes into the record the job sees; runs on executors. */
  decodeFrame: RecordDecoder<T> = (bytes) => bytes as unknown as T;

  /** Stores one record (or an array of records) into the current block. */
  store(record: T | T[]): void {
    const s = this.requireSupervisor();
    if (Array.isArray(record)) s.storeValues(record);
    else s.storeValue(record);
  }

  /**
   * The reliable receiver API: stores `records` and resolves once they are safe, so the
   * receiver can then acknowledge them to its source (a message queue's ack, a sequence
   * number sent back to a sender). With receiverWriteAheadLog they are safe once their
   * block is written and fsynced to the log (at the next block interval): a driver crash
   * after that replays them. Without the log, once the driver holds them (an executor's
   * loss cannot lose them, a driver crash can). Rejects if they could not be made safe
   * (for example a full disk): do not acknowledge them then.
   */
  storeReliably(records: T[]): Promise<void> {
    const s = this.requireSupervisor();
    s.storeValues(records);
    return s.whenStored();
  }

  /** Stores bytes [start, end) of buf as one record, decoded later by decodeFrame. */
  storeFrame(buf: Buffer, start = 0, end = buf.length): void {
    this.requireSupervisor().storeFrame(buf, start, end);
  }

  /**
   * Stores a whole block at once: bytes holding many frames, with `offsets` giving the
   * count + 1 record boundaries. The block becomes a partition of the next batch as it is.
   */
  storeBytes(data: Buffer, offsets: ArrayLike<number>): void {
    this.requireSupervisor().storeBlock(data, Uint32Array.from(offsets));
  }

  /**
   * Reports a problem without stopping: listeners and the log see it. `kind` groups
   * reports for the counts in the UI and metrics (for example 'bad-crc', 'garbage').
   */
  reportError(message: string, error?: unknown, kind?: string): void {
    this.requireSupervisor().reportError(message, error, kind);
  }

  /** Stops the receiver, waits (default: receiverRestartDelay), and starts it again. */
  restart(message: string, error?: unknown, delayMs?: number): void {
    this.requireSupervisor().restartReceiver(message, error, delayMs);
  }

  /** Stops receiving for good. */
  stop(message: string, error?: unknown): void {
    void this.requireSupervisor().stop(message, error);
  }

  isStarted(): boolean {
    return this.supervisor?.isReceiverStarted ?? false;
  }

  isStopped(): boolean {
    return this.supervisor?.isReceiverStopped ?? true;
  }

  /**
   * How long to hold the source back after storing `records`, to honour maxRate. Push
   * sources (sockets) pause for this long; the engine does it for the built-in ones.
   */
  protected rateDelay(records: number): number {
    return this.supervisor?.rateDelay(records) ?? 0;
  }

  /** Whether receiverMaxRate (or backpressure) limits this receiver now. */
  protected get isRateLimited(): boolean {
    return (this.supervisor?.rateLimit ?? 0) > 0;
  }

  private requireSupervisor(): ReceiverSupervisor {
    if (!this.supervisor) throw new Error(`receiver ${this.name} is not running: store() was called before onStart()`);
    return this.supervisor;
  }
}
