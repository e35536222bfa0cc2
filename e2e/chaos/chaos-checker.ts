/**
 * The chaos test's checker. It uses no engine code: it reads the batch files the job
 * wrote (out/batch-<time>.json, each `{ time, lines: ["key,seq,count", ...] }`) and
 * compares them with what the source produced (line i is key k<i mod keys> with
 * sequence number i div keys).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CheckResult {
  batchFiles: number;
  recordsIn: number;
  recordsOut: number;
  /** (key, seq) pairs produced but in no output. */
  lost: number;
  /** Extra deliveries of a (key, seq) pair: the source resent it (at-least-once input). */
  duplicateDeliveries: number;
  /** The same output record written in two batches (must be 0: the sink is exactly-once per batch). */
  duplicateOutputs: number;
  /** Keys whose counts over all outputs are not exactly 1, 2, ..., deliveries. */
  keysWithWrongCounts: string[];
  /** Outputs naming a key or sequence number never produced. */
  unknownRecords: number;
  examples: string[];
}

export function checkOutputs(outDir: string, produced: number, keys: number): CheckResult {
  const files = readdirSync(outDir).filter((f) => /^batch-\d+\.json$/.test(f));
  return checkLines(
    files.map((f) => ({ source: f, lines: (JSON.parse(readFileSync(join(outDir, f), 'utf8')) as { lines: string[] }).lines })),
    produced,
    keys,
  );
}

/** The same check over output records from anywhere (batch files, a Kafka topic). */
export function checkLines(outputs: { source: string; lines: string[] }[], produced: number, keys: number): CheckResult {
  const perKey = new Map<string, { seqs: Map<number, number>; counts: number[] }>();
  const seen = new Set<string>();
  const result: CheckResult = {
    batchFiles: outputs.length,
    recordsIn: produced,
    recordsOut: 0,
    lost: 0,
    duplicateDeliveries: 0,
    duplicateOutputs: 0,
    keysWithWrongCounts: [],
    unknownRecords: 0,
    examples: [],
  };
  const example = (s: string) => {
    if (result.examples.length < 10) result.examples.push(s);
  };
  for (const { source: f, lines } of outputs) {
    for (const line of lines) {
      result.recordsOut++;
      if (seen.has(line)) {
        result.duplicateOutputs++;
        example(`output ${line} written twice (again in ${f})`);
      }
      seen.add(line);
      const [key, seqText, countText] = line.split(',');
      const seq = Number(seqText);
      const keyIndex = Number(key!.slice(1));
      if (!key!.startsWith('k') || !(keyIndex >= 0 && keyIndex < keys) || !(seq >= 0) || seq * keys + keyIndex >= produced) {
        result.unknownRecords++;
        example(`unknown record ${line} in ${f}`);
        continue;
      }
      let k = perKey.get(key!);
      if (!k) perKey.set(key!, (k = { seqs: new Map(), counts: [] }));
      k.seqs.set(seq, (k.seqs.get(seq) ?? 0) + 1);
      k.counts.push(Number(countText));
    }
  }
  for (let i = 0; i < keys; i++) {
    const key = `k${i}`;
    const expected = produced > i ? Math.floor((produced - 1 - i) / keys) + 1 : 0;
    const k = perKey.get(key) ?? { seqs: new Map<number, number>(), counts: [] };
    for (let seq = 0; seq < expected; seq++) {
      const n = k.seqs.get(seq) ?? 0;
      if (n === 0) {
        result.lost++;
        example(`${key},${seq} lost`);
      } else result.duplicateDeliveries += n - 1;
    }
    const counts = [...k.counts].sort((a, b) => a - b);
    if (counts.some((c, j) => c !== j + 1)) {
      result.keysWithWrongCounts.push(key);
      example(`${key}: counts ${counts.slice(0, 8).join(',')}... are not 1..${counts.length}`);
    }
  }
  return result;
}
