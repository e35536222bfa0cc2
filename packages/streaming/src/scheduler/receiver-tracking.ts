import type { ReceiverStatus } from '../receiver/receiver-status.js';

/** Starts and stops the receivers of all receiver input streams, wherever they run. */
export interface ReceiverTracking {
  readonly streamIds: number[];
  readonly statuses: ReceiverStatus[];
  start(): Promise<void>;
  /** Backpressure: the receiver of stream `streamId` takes in about this many records per second from now on. */
  setRate(streamId: number, recordsPerSecond: number): void;
  /** Stops every receiver; resolves when their last blocks are with the block tracker. */
  stop(): Promise<void>;
}
