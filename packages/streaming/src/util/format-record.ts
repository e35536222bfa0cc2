/**
 * How print() and saveAsTextFiles write a record, close to Scala's toString so output
 * looks like Spark's: pairs as (key,value), other arrays as [a, b], objects as JSON.
 */
export function formatRecord(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 2) return `(${formatRecord(value[0])},${formatRecord(value[1])})`;
    return `[${value.map(formatRecord).join(', ')}]`;
  }
  if (value === null || value === undefined) return String(value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value, (_k, v: unknown) => (Buffer.isBuffer(v) || v instanceof Uint8Array ? `<${v.length} bytes>` : v));
    } catch {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- circular: the object's own text
      return String(value);
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a primitive, function or symbol here
  return String(value);
}
