/**
 * Keys of pair RDDs: a hash that every process computes identically (it decides which
 * reduce task a key goes to) and a map key under which equal keys meet. Strings, numbers,
 * booleans and null are used as they are; other keys (arrays, plain objects) by their
 * JSON text, so two equal tuples are the same key as in Scala.
 */
export type MapKey = string | number | boolean | bigint | null | undefined;

export function mapKeyOf(key: unknown): MapKey {
  if (key === null || typeof key !== 'object') return key as MapKey;
  return `\u0000${JSON.stringify(key)}`;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function hashKey(key: unknown): number {
  switch (typeof key) {
    case 'string':
      return fnv1a(key);
    case 'number':
      if (Number.isInteger(key) && Math.abs(key) < 2 ** 31) {
        // Spread consecutive integers over partitions rather than keeping their order.
        return Math.imul(key | 0, 0x9e3779b1) >>> 0;
      }
      return fnv1a(String(key));
    case 'boolean':
      return key ? 1231 : 1237;
    case 'undefined':
      return 0;
    case 'bigint':
      return fnv1a(key.toString());
    default:
      return key === null ? 0 : fnv1a(JSON.stringify(key));
  }
}
