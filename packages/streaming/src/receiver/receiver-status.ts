import type { ReceiverInfo } from '../listener/batch-info.js';

/**
 * What the driver knows of a running receiver, wherever it runs: its supervisor when it
 * runs in the driver, or the reports of the executor running it.
 */
export interface ReceiverStatus {
  readonly streamId: number;
  readonly name: string;
  /** Records stored so far (for a receiver on an executor: in the blocks it reported). */
  readonly recordsStored: number;
  /** Faults reported so far, by kind ('bad-crc', 'garbage', 'restart', ...). */
  readonly errorCounts: ReadonlyMap<string, number>;
  info(): ReceiverInfo;
}
