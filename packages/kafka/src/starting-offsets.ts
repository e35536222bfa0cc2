/**
 * Where a partition starts when the group has no committed offset for it: the first
 * offset still in the log, the end of the log, or explicit offsets per topic and
 * partition (partitions not listed start at the end, as with 'latest', unless they
 * appeared while the stream was running: see decideStart).
 */
export type StartingOffsets = 'earliest' | 'latest' | { [topic: string]: { [partition: number]: number } };

export interface LogBounds {
  /** First offset still in the log. */
  low: number;
  /** The end of the log for this reader (high watermark, or last stable offset). */
  high: number;
}

export interface StartDecision {
  offset: number;
  /** Why the offset is not the one asked for, worth a log line. */
  note: string | null;
}

/**
 * The start of a partition: the group's committed offset when it has one, else the
 * starting offsets. Offsets outside the log are moved into it, with a note: Spark would
 * fail the stream; here the log line says what was skipped or where it starts instead.
 */
export function decideStart(
  topic: string,
  partition: number,
  committed: number | undefined,
  starting: StartingOffsets,
  bounds: LogBounds,
  /** Where partitions missing from explicit starting offsets start. */
  unlisted: 'earliest' | 'latest',
): StartDecision {
  if (committed !== undefined) return clampIntoLog(topic, partition, committed, bounds, 'the committed offset');
  if (starting === 'earliest') return { offset: bounds.low, note: null };
  if (starting === 'latest') return { offset: bounds.high, note: null };
  const explicit = starting[topic]?.[partition];
  if (explicit === undefined) return { offset: unlisted === 'earliest' ? bounds.low : bounds.high, note: null };
  return clampIntoLog(topic, partition, explicit, bounds, 'the starting offset');
}

function clampIntoLog(topic: string, partition: number, offset: number, bounds: LogBounds, what: string): StartDecision {
  if (offset < bounds.low) {
    return {
      offset: bounds.low,
      note: `${topic}-${partition}: ${what} ${offset} is no longer in the log (retention); starting at ${bounds.low}, ` +
        `${bounds.low - offset} offsets were never read`,
    };
  }
  if (offset > bounds.high) {
    return {
      offset: bounds.high,
      note: `${topic}-${partition}: ${what} ${offset} is beyond the end of the log (${bounds.high}); was the topic recreated? ` +
        `starting at ${bounds.high}`,
    };
  }
  return { offset, note: null };
}

export function validateStartingOffsets(starting: StartingOffsets): void {
  if (starting === 'earliest' || starting === 'latest') return;
  if (typeof starting !== 'object' || starting === null) {
    throw new Error(`createDirectStream: startingOffsets must be 'earliest', 'latest' or { topic: { partition: offset } }`);
  }
  for (const [topic, partitions] of Object.entries(starting)) {
    for (const [p, offset] of Object.entries(partitions)) {
      if (!Number.isSafeInteger(offset) || offset < 0) {
        throw new Error(`createDirectStream: starting offset of ${topic}-${p} must be an integer >= 0, got ${offset}`);
      }
    }
  }
}
