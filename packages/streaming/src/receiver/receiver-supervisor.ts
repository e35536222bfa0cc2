import { interval, type Subscription } from 'rxjs';
import type { StreamingConf } from '../context/conf.js';
import type { ListenerBus } from '../listener/listener-bus.js';
import type { ReceiverInfo } from '../listener/batch-info.js';
import type { ShippedBlock } from '../rdd/task-env.js';
import { BlockBuilder } from './block-builder.js';
import { RateLimiter } from './rate-limiter.js';
import type { Receiver } from './receiver.js';
import type { ReceiverStatus } from './receiver-status.js';

export interface SupervisorOptions {
  blockIntervalMs: number;
  restartDelayMs: number;
  /** receiverMaxRate: records per second, 0 = unlimited; with backpressure, the ceiling of its rate. */
  maxRate: number;
  /** Backpressure's initial rate (0: none): the receiver starts at min(initialRate, maxRate). */
  initialRate?: number;
  /**
   * receiverMaxBufferedBytes (0: no bound): received bytes this process may hold before
   * its receivers pause their sources, counting what `bufferedBytes` reports (blocks
   * handed over and not yet freed) and this receiver's block being built.
   */
  maxBufferedBytes?: number;
  bufferedBytes?: () => number;
  bus: ListenerBus;
  /**
   * Where cut blocks go: the ReceivedBlockTracker, through the write-ahead log when it is
   * on; the promise resolves once the block is durable (see storeReliably).
   */
  onBlock: (streamId: number, block: ShippedBlock) => void | Promise<void>;
  log: (line: string) => void;
  /** Where the receiver runs, for ReceiverInfo: 'driver' or an executor id. */
  executorId?: string;
  host?: string;
}

/**
 * The settings a receiver's supervisor takes from the configuration, the same wherever
 * the receiver runs (on the driver or on an executor).
 */
export function supervisorLimits(
  conf: StreamingConf,
): Pick<SupervisorOptions, 'blockIntervalMs' | 'restartDelayMs' | 'maxRate' | 'initialRate' | 'maxBufferedBytes'> {
  return {
    blockIntervalMs: conf.blockIntervalMs,
    restartDelayMs: conf.receiverRestartDelayMs,
    maxRate: conf.receiverMaxRate,
    initialRate: conf.backpressureEnabled ? conf.backpressureInitialRate : 0,
    maxBufferedBytes: conf.receiverMaxBufferedBytes,
  };
}

/** How often a paused source checks for room in the receive buffer. */
const ROOM_POLL_MS = 5;

/**
 * Owns one receiver's life: starts it, cuts what it stores into a block every block
 * interval (an RxJS interval), restarts it after errors, and tells the listeners.
 */
export class ReceiverSupervisor implements ReceiverStatus {
  private readonly builder: BlockBuilder;
  private readonly limiter: RateLimiter;
  private ticker: Subscription | null = null;
  private started = false;
  private stopped = false;
  private restarting = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private lastError = { message: '', stack: '', time: -1 };
  /** Faults by kind (bad CRC, garbage...), for tests and the UI. */
  readonly errorCounts = new Map<string, number>();
  recordsStored = 0;
  /** Payload bytes of the byte records stored (frames, stored blocks), for the read size under a rate limit. */
  bytesStored = 0;
  /** Sources paused for a full buffer, waiting for room (see whenRoom). */
  private roomWaiters: (() => void)[] = [];
  private roomTimer: NodeJS.Timeout | null = null;
  /** storeReliably callers waiting for the next cut's blocks to be stored. */
  private waitingAcks: { resolve: () => void; reject: (err: unknown) => void }[] = [];

  constructor(
    readonly receiver: Receiver<unknown>,
    private readonly options: SupervisorOptions,
  ) {
    this.builder = new BlockBuilder(receiver.streamId);
    this.limiter = new RateLimiter(capRate(options.initialRate ?? 0, options.maxRate));
    receiver.supervisor = this;
  }

  get streamId(): number {
    return this.receiver.streamId;
  }

  get name(): string {
    return this.receiver.name;
  }

  get isReceiverStarted(): boolean {
    return this.started;
  }

  get isReceiverStopped(): boolean {
    return this.stopped || !this.started;
  }

  get rateLimit(): number {
    return this.limiter.limit;
  }

  setRateLimit(rate: number): void {
    this.limiter.setRate(rate);
  }

  /**
   * Backpressure's new rate for this receiver (Spark's BlockGenerator.updateRate): capped
   * by receiverMaxRate; a rate that is not positive is ignored.
   */
  updateRate(rate: number): void {
    if (!(rate > 0) || !Number.isFinite(rate)) return;
    this.limiter.setRate(capRate(rate, this.options.maxRate));
  }

  /**
   * Whether received bytes held in this process reached receiverMaxBufferedBytes: push
   * sources pause until whenRoom() resolves.
   */
  get isBufferFull(): boolean {
    const max = this.options.maxBufferedBytes ?? 0;
    if (max <= 0) return false;
    return this.builder.pendingBytes + (this.options.bufferedBytes?.() ?? 0) >= max;
  }

  /** Resolves once the buffer has room again (batches done, their blocks freed), or the receiver stops. */
  whenRoom(): Promise<void> {
    if (!this.isBufferFull || this.stopped) return Promise.resolve();
    const waiting = new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    // Room comes back when a batch finishes and its blocks are freed; checking every few
    // milliseconds while paused costs nothing next to that.
    this.roomTimer ??= setInterval(() => {
      if (this.isBufferFull && !this.stopped) return;
      if (this.roomTimer) clearInterval(this.roomTimer);
      this.roomTimer = null;
      for (const w of this.roomWaiters.splice(0)) w();
    }, ROOM_POLL_MS);
    return waiting;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.ticker = interval(this.options.blockIntervalMs).subscribe(() => this.cutBlock());
    await this.startReceiver();
  }

  storeValue(value: unknown): void {
    this.builder.addValue(value);
    this.recordsStored++;
  }

  storeValues(values: unknown[]): void {
    for (const v of values) this.builder.addValue(v);
    this.recordsStored += values.length;
  }

  storeFrame(buf: Buffer, start: number, end: number): void {
    this.builder.addFrame(buf, start, end);
    this.recordsStored++;
    this.bytesStored += end - start;
  }

  storeFramePieces(pieces: Buffer[], length: number): void {
    this.builder.addFramePieces(pieces, length);
    this.recordsStored++;
    this.bytesStored += length;
  }

  storeBlock(data: Buffer, boundaries: Uint32Array): void {
    const count = boundaries.length - 1;
    if (count < 0 || boundaries[count]! > data.length) {
      throw new RangeError(`storeBytes: offsets describe ${boundaries[count]} bytes but the block has ${data.length}`);
    }
    const offsets = new Uint32Array(2 * count);
    for (let i = 0; i < count; i++) {
      offsets[2 * i] = boundaries[i]!;
      offsets[2 * i + 1] = boundaries[i + 1]!;
    }
    this.storeFramedBlock(data, offsets);
  }

  /**
   * Stores a block of records as it is (no record is copied); offsets are start/end
   * pairs. It joins the block being built, so it lands in the next cut in order.
   */
  storeFramedBlock(data: Buffer, offsets: Uint32Array): void {
    this.builder.addBlock(data, offsets);
    this.recordsStored += offsets.length / 2;
    this.bytesStored += data.length;
  }

  rateDelay(records: number): number {
    return this.limiter.take(records);
  }

  reportError(message: string, error?: unknown, kind = 'error'): void {
    this.errorCounts.set(kind, (this.errorCounts.get(kind) ?? 0) + 1);
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- whatever was thrown, as its own text
    const stack = error instanceof Error ? (error.stack ?? error.message) : error === undefined ? '' : String(error);
    this.lastError = { message, stack, time: Date.now() };
    this.options.log(`receiver ${this.receiver.name} (stream ${this.receiver.streamId}): ${message}`);
    this.options.bus.post({ type: 'onReceiverError', payload: { receiverInfo: this.info() } });
  }

  restartReceiver(message: string, error?: unknown, delayMs = this.options.restartDelayMs): void {
    if (this.stopped || this.restarting) return;
    this.restarting = true;
    this.reportError(`restarting receiver in ${delayMs} ms: ${message}`, error, 'restart');
    void (async () => {
      await this.stopReceiver();
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        this.restarting = false;
        if (!this.stopped) void this.startReceiver();
      }, delayMs);
    })();
  }

  /** The receiver stops itself (its source has ended, or failed for good): said once in the log. */
  async stopByReceiver(message: string, error?: unknown): Promise<void> {
    if (this.stopped) return;
    if (error === undefined) this.options.log(`receiver ${this.receiver.name} (stream ${this.receiver.streamId}) stopped: ${message}`);
    await this.stop(message, error);
  }

  /** Stops the receiver and cuts the last block, so nothing stored is lost. */
  async stop(message = 'stopped by the context', error?: unknown): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (error !== undefined) this.reportError(message, error);
    await this.stopReceiver();
    this.ticker?.unsubscribe();
    this.ticker = null;
    if (this.roomTimer) clearInterval(this.roomTimer);
    this.roomTimer = null;
    for (const w of this.roomWaiters.splice(0)) w();
    this.cutBlock();
    this.options.bus.post({ type: 'onReceiverStopped', payload: { receiverInfo: this.info() } });
  }

  /** Cuts the current block now (block-interval tick, stop). */
  cutBlock(): void {
    const acks = this.waitingAcks.splice(0);
    const stored = this.builder.cut().map(async (block) => this.options.onBlock(this.receiver.streamId, block));
    // A block that could not be stored was reported by whoever stored it (the write-ahead
    // log stops the context); here it only fails the acknowledgements waiting for it.
    Promise.all(stored).then(
      () => acks.forEach((a) => a.resolve()),
      (err: unknown) => acks.forEach((a) => a.reject(err)),
    );
  }

  /**
   * Resolves once everything stored so far is stored for good: cut into a block, written
   * to the write-ahead log and fsynced when the log is on (otherwise handed to the block
   * tracker). Rejects if the block could not be written.
   */
  whenStored(): Promise<void> {
    return new Promise((resolve, reject) => this.waitingAcks.push({ resolve, reject }));
  }

  info(): ReceiverInfo {
    return {
      streamId: this.receiver.streamId,
      name: this.receiver.name,
      active: this.started && !this.stopped,
      location: this.options.host ?? 'driver',
      executorId: this.options.executorId ?? 'driver',
      lastErrorMessage: this.lastError.message,
      lastError: this.lastError.stack,
      lastErrorTime: this.lastError.time,
    };
  }

  private async startReceiver(): Promise<void> {
    try {
      await this.receiver.onStart();
      this.started = true;
      this.options.bus.post({ type: 'onReceiverStarted', payload: { receiverInfo: this.info() } });
    } catch (err) {
      this.started = false;
      this.restartReceiver(`onStart failed: ${(err as Error)?.message ?? err}`, err);
    }
  }

  private async stopReceiver(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    try {
      await this.receiver.onStop();
    } catch (err) {
      this.options.log(`receiver ${this.receiver.name}: onStop failed: ${(err as Error)?.message ?? err}`);
    }
  }
}

/** A backpressure rate under the receiver's own ceiling (0 = none on either side). */
function capRate(rate: number, maxRate: number): number {
  if (rate > 0 && maxRate > 0) return Math.min(rate, maxRate);
  return rate > 0 ? rate : maxRate;
}
