/**
 * Record i of the chaos runs: `k<i mod keys>,<i div keys>`, a key and that key's own
 * sequence number, so the checker can tell a lost or repeated record from its line alone.
 */
export function sequenceLine(i: number, keys: number): string {
  return `k${i % keys},${Math.floor(i / keys)}`;
}
