/**
 * Durations as users write them on the command line and in configuration: "1s", "200ms",
 * "1.5s", "2m", or a bare number of milliseconds.
 */
/** A duration as a user writes it: '30s', '500ms', '2m', or milliseconds. */
export type Duration = string | number;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

export function parseDuration(value: string | number, what = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`invalid ${what}: ${value}`);
    return value;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/.exec(value);
  if (!match) throw new Error(`invalid ${what} "${value}": use a number with ms, s, m or h (e.g. 1s, 200ms)`);
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 'ms']!);
}

export function formatDuration(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
