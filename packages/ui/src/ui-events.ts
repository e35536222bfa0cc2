import type { StreamingEvent } from '@sluice/streaming';

/** What the UI knows of the application, written first in an event log. */
export interface ApplicationStartInfo {
  appId: string;
  appName: string;
  startTime: number;
  batchDurationMs: number;
  /** The resolved configuration, shown on the Environment page. */
  conf: Record<string, unknown>;
  /** The command line and runtime, also for the Environment page. */
  runtime: Record<string, string>;
}

/** Counters the engine keeps rather than posts, sampled about once a second. */
export interface StatusSnapshot {
  time: number;
  receivers: { streamId: number; name: string; recordsStored: number; errorCounts: Record<string, number> }[];
  /** Received blocks not yet freed, by holder (an executor id or 'driver'). */
  blocksHeld: Record<string, { blocks: number; bytes: number }>;
  /** Resident memory of the driver process. */
  driverMemoryBytes: number;
}

/** A figure an application reports for its own page (sluice-classify: images, latency, labels). */
export interface ApplicationMetric {
  time: number;
  /** Which page shows it, e.g. 'classifier'. */
  source: string;
  values: Record<string, unknown>;
}

/**
 * Everything the UI consumes and an event log holds, one per JSON line: the engine's
 * listener events as they are, plus the UI's own records above.
 */
export type UiEvent =
  | StreamingEvent
  | { type: 'onApplicationStart'; payload: ApplicationStartInfo }
  | { type: 'onApplicationEnd'; payload: { time: number } }
  | { type: 'onStatusSnapshot'; payload: StatusSnapshot }
  | { type: 'onApplicationMetric'; payload: ApplicationMetric };
