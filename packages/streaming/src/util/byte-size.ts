/**
 * Sizes as users write them in configuration: "256m", "1g", "512k", "1.5g" (binary
 * units, as Spark's), or a bare number of bytes.
 */
const UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

export function parseByteSize(value: string | number, what = 'size'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`invalid ${what}: ${value}`);
    return Math.floor(value);
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*([bkmg])?(?:i?b)?\s*$/i.exec(value);
  if (!match) throw new Error(`invalid ${what} "${value}": use a number of bytes or a size with k, m or g (e.g. 256m, 1g)`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!);
}
