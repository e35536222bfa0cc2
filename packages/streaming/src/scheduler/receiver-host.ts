import type { Observable } from 'rxjs';
import type { ReceiverInfo } from '../listener/batch-info.js';
import type { ShippedBlock } from '../rdd/task-env.js';

/** A receiver stream to run on an executor. */
export interface ReceiverToPlace {
  streamId: number;
  name: string;
  /** An executor id or host name to run on when one matches (Receiver.preferredLocation). */
  preferredLocation: string | undefined;
}

/** What executors running receivers tell the driver. */
export type ReceiverHostEvent =
  | { type: 'block'; streamId: number; executorId: string; block: ShippedBlock }
  | {
      type: 'report';
      streamId: number;
      executorId: string;
      event: 'started' | 'error' | 'stopped';
      info: ReceiverInfo;
      errorCounts: Record<string, number>;
    };

/**
 * A TaskBackend that can run receivers on its executors (receiverPlacement 'executor').
 * It places each receiver, starts it again on another executor when its executor is
 * lost, and sends tasks that read a block to the executor holding it.
 */
export interface ReceiverHost {
  startReceivers(receivers: ReceiverToPlace[], replication: number): void;
  /** Resolves when every receiver has cut and reported its last block, or its executor is gone. */
  stopReceivers(): Promise<void>;
  /** Backpressure: tells the executor running the receiver of `streamId` its new rate (and whichever runs it next). */
  updateReceiverRate(streamId: number, recordsPerSecond: number): void;
  /** The batches reading these blocks are done: their executors may free them. */
  removeBlocks(blocks: ShippedBlock[]): void;
  readonly receiverEvents$: Observable<ReceiverHostEvent>;
}
