/**
 * The graph fingerprint: what the driver and each executor compare before any task runs.
 *
 * Executors find a task's code by rebuilding the driver's DStream graph from the job
 * module (lineage replay). If an executor built a different graph (another operator
 * order, another version of a user function, another reference table), its tasks would
 * silently run other code, so it is refused, with the first difference named.
 *
 * One entry per DStream, in construction order: its operator, its parents, the source
 * of each user function it holds and its parameters (window lengths, partitions), then
 * one entry per parallelize() RDD with a hash of its records.
 */
export interface SignatureEntry {
  /** "DStream 3" or "parallelize 0": where in the graph. */
  at: string;
  /** Operator and parents, e.g. "MappedDStream <- [2]". */
  op: string;
  /** Function sources and parameters. */
  detail: string[];
}

/** A function's source with its whitespace collapsed: formatting does not matter. */
export function functionSource(f: unknown): string {
  return `fn ${String(f).replace(/\s+/g, ' ').trim()}`;
}

/** A parameter as the fingerprint shows it: functions by source, the rest as JSON. */
export function describeParameter(value: unknown): string {
  if (typeof value === 'function') return functionSource(value);
  if (value === undefined) return 'default';
  if (value !== null && typeof value === 'object' && 'numPartitions' in value && 'kind' in value) {
    return `${String((value as { kind: unknown }).kind)} partitioner(${String((value as { numPartitions: unknown }).numPartitions)})`;
  }
  try {
    // A function or symbol has no JSON form; its own text is what identifies it.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    return JSON.stringify(value) ?? String(value);
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- circular: the object's own text
    return String(value);
  }
}

export function encodeSignature(entries: SignatureEntry[]): string {
  return JSON.stringify(entries);
}

/**
 * The first difference between the driver's fingerprint and an executor's, as a sentence
 * naming the place and both sides; null when they match.
 */
export function diffGraphSignatures(driver: string, executor: string): string | null {
  if (driver === executor) return null;
  let d: SignatureEntry[];
  let e: SignatureEntry[];
  try {
    d = JSON.parse(driver) as SignatureEntry[];
    e = JSON.parse(executor) as SignatureEntry[];
  } catch {
    return `the graph fingerprints differ and cannot be read (driver: ${clip(driver)}; executor: ${clip(executor)})`;
  }
  for (let i = 0; i < Math.max(d.length, e.length); i++) {
    const a = d[i];
    const b = e[i];
    if (!a || !b) {
      const [has, lacks] = a ? ['driver', 'executor'] : ['executor', 'driver'];
      const entry = (a ?? b)!;
      return `the ${has} has ${entry.at} (${show(entry)}) that the ${lacks} does not`;
    }
    if (a.at !== b.at || a.op !== b.op || a.detail.join('\u0000') !== b.detail.join('\u0000')) {
      return `first difference at ${a.at}: driver ${show(a)}; executor ${b.at === a.at ? '' : `${b.at} `}${show(b)}`;
    }
  }
  return 'the graph fingerprints differ';
}

function show(entry: SignatureEntry): string {
  const detail = entry.detail.map(clip);
  return detail.length === 0 ? entry.op : `${entry.op} with ${detail.join(', ')}`;
}

function clip(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}
