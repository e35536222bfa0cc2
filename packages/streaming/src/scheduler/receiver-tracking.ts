import type { ReceiverStatus } from '../receiver/receiver-status';

/** Starts and stops the receivers of all receiver input streams, wherever they run. */
export interface ReceiverTracking {
  readonly streamIds: number[];
  readonly statuses: ReceiverStatus[];
  start(): Promise<void>;
  /** Stops every receiver; resolves when their last blocks are with the block tracker. */
  stop(): Promise<void>;
}
