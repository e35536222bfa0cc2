/**
 * An estimate of the heap bytes an array of records holds, for the block manager's
 * memory limit. Like Spark's SizeEstimator it samples: it walks up to SAMPLES records
 * spread over the array with V8-like per-type costs and scales up. It is an estimate (V8
 * shares strings, packs small integers into pointers, ...), good enough to keep the
 * block manager's total near its limit, not an exact count.
 */
const SAMPLES = 64;
const POINTER = 8;
const HEADER = 16;
const MAX_DEPTH = 6;

export function estimateRecordsSize(records: readonly unknown[]): number {
  const n = records.length;
  const arrayBytes = HEADER + POINTER * n;
  if (n === 0) return arrayBytes;
  const step = n <= SAMPLES ? 1 : n / SAMPLES;
  let sampled = 0;
  let bytes = 0;
  for (let i = 0; i < n && sampled < SAMPLES; i = Math.floor(++sampled * step)) {
    bytes += estimateValue(records[i], 0);
  }
  return Math.ceil(arrayBytes + (bytes / sampled) * n);
}

function estimateValue(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return HEADER + value.length * (isOneByte(value) ? 1 : 2);
    case 'number':
      // Small integers live inside the pointer; other numbers are boxed doubles.
      return Number.isInteger(value) && Math.abs(value) < 2 ** 30 ? 0 : HEADER;
    case 'boolean':
    case 'undefined':
      return 0;
    case 'bigint':
      return HEADER + 8 * Math.ceil(value.toString(16).length / 16);
    case 'object':
      return value === null ? 0 : estimateObject(value, depth);
    default:
      return HEADER;
  }
}

/**
 * Records that know their size better than a walk would (a state partition's map of a
 * million keys, layered over the previous batch's) say it themselves.
 */
export interface SizeAware {
  estimatedSize(): number;
}

function estimateObject(value: object, depth: number): number {
  if (typeof (value as Partial<SizeAware>).estimatedSize === 'function') return (value as SizeAware).estimatedSize();
  if (ArrayBuffer.isView(value)) return HEADER * 4 + value.byteLength;
  if (value instanceof ArrayBuffer) return HEADER * 2 + value.byteLength;
  if (depth >= MAX_DEPTH) return HEADER * 4;
  if (Array.isArray(value)) {
    let bytes = HEADER * 2 + POINTER * value.length;
    for (const v of value) bytes += estimateValue(v, depth + 1);
    return bytes;
  }
  if (value instanceof Map) {
    let bytes = HEADER * 4 + 3 * POINTER * value.size;
    for (const [k, v] of value) bytes += estimateValue(k, depth + 1) + estimateValue(v, depth + 1);
    return bytes;
  }
  let bytes = HEADER * 2;
  for (const key in value) {
    bytes += POINTER + estimateValue((value as Record<string, unknown>)[key], depth + 1);
  }
  return bytes;
}

function isOneByte(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}
