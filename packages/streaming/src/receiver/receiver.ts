import type { RecordDecoder } from '../rdd/block-rdd.js';
import type { ReceiverSupervisor } from './receiver-supervisor.js';
import { SourceHold, type PausableSource } from './source-hold.js';

/** A rate-limited byte receiver reads about this many milliseconds' worth of records at a time. */
const READ_STEP_MS = 20;
const MIN_LIMITED_READ = 256;
const MAX_LIMITED_READ = 64 * 1024;

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
  /**
   * With receiverPlacement 'executor': the executor id or host name this receiver should
   * run on when one matches (Spark's preferredLocation). Receivers in the driver (the
   * default placement) ignore it.
   */
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

  /**
   * The reliable API for receivers that store with store(), storeFrame() or storeBytes():
   * resolves once everything stored so far is safe, as storeReliably's promise does (in
   * the write-ahead log and fsynced, when it is on), so the receiver can acknowledge it to
   * its source. Rejects if it could not be made safe.
   */
  protected whenStored(): Promise<void> {
    return this.requireSupervisor().whenStored();
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

  /** Stops receiving for good (the message is logged; with an error, reported as one). */
  stop(message: string, error?: unknown): void {
    void this.requireSupervisor().stopByReceiver(message, error);
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

  /**
   * Flow control for a push source (a socket, a read stream): call it after storing what
   * one read brought (`records` of them). The source is paused while the rate limit
   * (receiverMaxRate, backpressure) asks for a delay or the receive buffer
   * (receiverMaxBufferedBytes) is full, and resumed after; pausing a socket holds its
   * sender back through TCP. Call releaseHold(source) when the source is closed.
   */
  protected holdBack(source: PausableSource, records: number): void {
    const supervisor = this.supervisor;
    if (!supervisor) return;
    let hold = this.holds.get(source);
    if (!hold) this.holds.set(source, (hold = new SourceHold(source, supervisor)));
    hold.stored(records);
  }

  /** The source is closed: its pauses end with it. */
  protected releaseHold(source: PausableSource): void {
    this.holds.get(source)?.release();
    this.holds.delete(source);
  }

  private readonly holds = new Map<PausableSource, SourceHold>();

  /** Whether receiverMaxRate (or backpressure) limits this receiver now. */
  protected get isRateLimited(): boolean {
    return (this.supervisor?.rateLimit ?? 0) > 0;
  }

  /**
   * How many bytes a rate-limited byte receiver should read at a time (0: no limit):
   * about READ_STEP_MS worth of records at its rate, so that a read taken whole is a
   * small step and the pause after it short. (Reading 64 KiB of short lines at 100
   * records/s would take a minute's worth in one read, and pause for that long.)
   */
  protected get readLimitBytes(): number {
    const s = this.supervisor;
    const rate = s?.rateLimit ?? 0;
    if (!s || rate <= 0) return 0;
    const bytesPerRecord = s.recordsStored > 0 ? s.bytesStored / s.recordsStored : 100;
    const bytes = Math.round(((rate * READ_STEP_MS) / 1000) * bytesPerRecord);
    return Math.min(MAX_LIMITED_READ, Math.max(MIN_LIMITED_READ, bytes));
  }

  private requireSupervisor(): ReceiverSupervisor {
    if (!this.supervisor) throw new Error(`receiver ${this.name} is not running: store() was called before onStart()`);
    return this.supervisor;
  }
}
