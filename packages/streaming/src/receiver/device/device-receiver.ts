/**
 * The device receiver: a custom Receiver that reads the byte stream of an FPGA or a smart
 * NIC. It is the worked example of docs/receivers.md, so it uses only what
 * @sluice/streaming and @sluice/protocol export (imported here from the modules that
 * export them, since it lives inside the package), as a receiver of your own would.
 */
import { DEFAULT_MAX_FRAME_BYTES, DeviceFramer, type FrameFault, type FrameFaultKind, type FrameSink } from '@sluice/protocol';
import type { Socket } from 'node:net';
import type { RecordDecoder } from '../../rdd/block-rdd.js';
import { Receiver } from '../receiver.js';
import { DeviceFaultTally, describeFaultTotal } from './device-fault-tally.js';
import { encodeDeviceAck } from './device-ack.js';
import { decodeDeviceFrameRecord, frameWithHeader, type DeviceFrameRecord } from './device-record.js';
import { openDeviceSource, type DeviceMode, type DeviceSource } from './device-source.js';

export interface DeviceReceiverOptions<WithSequence extends boolean = false> {
  /** A character device, a FIFO, a Unix domain socket or a file holding device frames. */
  path: string;
  /** 'auto' (default) looks at the path: a socket is connected to, anything else is read. */
  mode?: DeviceMode;
  /** Frames announcing more are rejected unread (default 64 MiB). */
  maxFrameBytes?: number;
  /** Records are { seq, payload } rather than the payload alone. */
  withSequence?: WithSequence;
  /**
   * Unix sockets only: acknowledge stored frames to the device (see device-ack.ts), the
   * sequence number of the last good frame once it is stored for good (with
   * receiverWriteAheadLog: in the log, fsynced). A device that resends what was not
   * acknowledged then loses nothing when the driver dies (at-least-once).
   */
  acknowledge?: boolean;
}

/** What a device stream's records are: payloads, or payloads with their sequence numbers. */
export type DeviceRecord<WithSequence extends boolean> = WithSequence extends true ? DeviceFrameRecord : Buffer;

/**
 * Reads device frames (sync word, sequence number, length, CRC-32, payload: see
 * @sluice/protocol's device-frame) from a byte stream and stores every good one.
 *
 * - Storing: each good frame is stored with storeFrame as a view of the bytes that came
 *   in, so the driver copies nothing but frames that spanned several reads (once, by the
 *   framer). The payload is the record; decodeFrame runs on the executors.
 * - Faults: garbage, bad CRCs, truncated and oversized frames and sequence gaps are each
 *   reported with their kind (the supervisor's errorCounts and onReceiverError listeners
 *   see them) and tallied in `faults`, with their units (bytes, frames missing...).
 * - Rate and buffer: receiver.maxRate, backpressure and a full receive buffer pause the
 *   stream (so the writer is held back by the kernel).
 * - The end of the stream: a FIFO is reopened at once to wait for its next writer; a
 *   socket or a device is reopened after the restart delay; a regular file is read once,
 *   then the receiver stops. A path that is missing or cannot be opened is retried after
 *   the restart delay, with the reason in the error.
 */
export class DeviceReceiver<WithSequence extends boolean = false> extends Receiver<DeviceRecord<WithSequence>> {
  readonly path: string;
  readonly mode: DeviceMode;
  readonly maxFrameBytes: number;
  readonly withSequence: boolean;
  readonly acknowledge: boolean;
  /** Faults met so far, by kind, with their units; kept across restarts. */
  readonly faults = new DeviceFaultTally();
  /** Good frames stored so far, across restarts. */
  framesStored = 0;

  private source: DeviceSource | null = null;
  /** Incremented on every start and stop: callbacks of an earlier start see it and give up. */
  private session = 0;

  constructor(options: DeviceReceiverOptions<WithSequence>) {
    super();
    if (!options.path) throw new Error('DeviceReceiver needs the path of a device, FIFO, socket or file');
    this.path = options.path;
    this.mode = options.mode ?? 'auto';
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.withSequence = options.withSequence ?? false;
    this.acknowledge = options.acknowledge ?? false;
    this.name = `DeviceReceiver(${this.path})`;
    const decode: RecordDecoder<Buffer | DeviceFrameRecord> = this.withSequence ? decodeDeviceFrameRecord : (bytes) => bytes;
    this.decodeFrame = decode as RecordDecoder<DeviceRecord<WithSequence>>;
  }

  // onStart must not block: opening (which may wait for a socket) goes on in the background.
  onStart(): void {
    const session = ++this.session;
    void this.open(session);
  }

  onStop(): void {
    this.session++;
    if (this.source) this.releaseHold(this.source.stream);
    this.source?.stream.destroy();
    this.source = null;
  }

  private async open(session: number): Promise<void> {
    let source: DeviceSource;
    try {
      source = await openDeviceSource(this.path, this.mode);
    } catch (err) {
      if (session === this.session) this.restart((err as Error).message, err);
      return;
    }
    if (session !== this.session) {
      source.stream.destroy();
      return;
    }
    this.read(source, session);
  }

  private read(source: DeviceSource, session: number): void {
    if (this.acknowledge && source.kind !== 'unix') {
      source.stream.destroy();
      this.stop(`acknowledge needs a Unix socket to write acknowledgements to, but ${source.description} is read-only`);
      return;
    }
    this.source = source;
    // Acknowledgements go out in order: each waits for the one before it.
    let acked: Promise<void> = Promise.resolve();
    const framer = new DeviceFramer({ maxFrameBytes: this.maxFrameBytes });
    const sink: FrameSink = {
      record: (buf, start, end) => this.storeDeviceFrame(framer.sequence, buf, start, end),
      fault: (fault) => this.reportFault(source, fault),
    };
    let ended = false;
    const finish = () => {
      if (ended) return false;
      ended = true;
      this.releaseHold(source.stream);
      // A frame cut short by the end of the stream is reported as 'truncated' here.
      framer.end(sink);
      return session === this.session && this.source === source;
    };
    source.stream.on('data', (chunk: Buffer) => {
      const before = this.framesStored;
      framer.push(chunk, sink);
      this.holdBack(source.stream, this.framesStored - before);
      if (this.acknowledge && this.framesStored > before) {
        const last = this.lastStoredSeq;
        const stored = this.whenStored();
        acked = acked.then(() =>
          stored.then(
            () => {
              if (!source.stream.destroyed) (source.stream as Socket).write(encodeDeviceAck(last));
            },
            (err: unknown) => {
              if (session === this.session) this.restart('frames could not be stored for good; not acknowledged', err);
            },
          ),
        );
      }
    });
    source.stream.on('end', () => {
      if (finish()) this.streamEnded(source, session);
    });
    source.stream.on('error', (err) => {
      if (finish()) this.restart(`reading ${source.description} failed: ${err.message}`, err);
    });
  }

  /** The sequence number of the last good frame stored (what an acknowledgement names). */
  private lastStoredSeq = 0;

  private storeDeviceFrame(seq: number, buf: Buffer, start: number, end: number): void {
    this.lastStoredSeq = seq;
    if (this.withSequence) {
      const frame = frameWithHeader(seq, buf, start, end);
      this.storeFrame(frame.buf, frame.start, frame.end);
    } else {
      this.storeFrame(buf, start, end);
    }
    this.framesStored++;
  }

  private streamEnded(source: DeviceSource, session: number): void {
    switch (source.kind) {
      case 'fifo':
        // The writer closed its end: a normal event for a FIFO, whose next writer may come
        // at any time. Reopening waits for it without blocking anything.
        void this.reopenFifo(source, session);
        return;
      case 'file':
        source.stream.destroy();
        this.stop(`end of ${source.description}: a regular file is read once`);
        return;
      case 'unix':
        this.restart(`${source.description} closed the connection (end of stream)`);
        return;
      case 'char-device':
        this.restart(`${source.description} reported end of file`);
        return;
    }
  }

  /** Opens the FIFO again before closing the old handle, so it never lacks a reader. */
  private async reopenFifo(old: DeviceSource, session: number): Promise<void> {
    let next: DeviceSource;
    try {
      next = await openDeviceSource(this.path, this.mode);
    } catch (err) {
      old.stream.destroy();
      if (session === this.session) this.restart(`cannot reopen ${old.description} after its writer closed: ${(err as Error).message}`, err);
      return;
    }
    old.stream.destroy();
    if (session !== this.session) {
      next.stream.destroy();
      return;
    }
    this.read(next, session);
  }

  private reportFault(source: DeviceSource, fault: FrameFault): void {
    const units = fault.count ?? 1;
    const total = this.faults.add(fault.kind, units);
    this.reportKind(
      fault.kind,
      `${fault.kind} at byte ${fault.offset} of ${source.description}: ${fault.message} (${describeFaultTotal(fault.kind, total)})`,
    );
  }

  /**
   * Receiver.reportError records every report under the kind 'error'; the supervisor's
   * reportError takes the kind, so that its errorCounts are counted by fault kind.
   */
  private reportKind(kind: FrameFaultKind, message: string): void {
    this.reportError(message, undefined, kind);
  }
}
