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

/**
 * A function's source with each run of whitespace collapsed to one space, or to one line
 * break when it holds one: the line breaks stay because a `//` comment ends at one, so the
 * text can still be read as code (the executor pool reprints both sides' functions to
 * compare them without comments: packages/executor's signature-as-bundled.ts).
 */
export function functionSource(f: unknown): string {
  return `fn ${String(f)
    .replace(/\s+/g, (space) => (/[\n\r\u2028\u2029]/.test(space) ? '\n' : ' '))
    .trim()}`;
}

/** Text of a fingerprint with all whitespace as single spaces: how entries compare and show (formatting does not matter). */
function folded(text: string): string {
  return text.replace(/\s+/g, ' ');
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
  const d = parseSignature(driver);
  const e = parseSignature(executor);
  if (!d || !e) return `the graph fingerprints differ and cannot be read (driver: ${clip(driver)}; executor: ${clip(executor)})`;
  return firstDifference(d, e, ['driver', 'executor']);
}

/** The entries of an encoded fingerprint; null if it is not one. */
export function parseSignature(encoded: string): SignatureEntry[] | null {
  try {
    const entries = JSON.parse(encoded) as unknown;
    return Array.isArray(entries) ? (entries as SignatureEntry[]) : null;
  } catch {
    return null;
  }
}

/** The first entry where two fingerprints differ, as a sentence naming both sides (`names`); null if none. */
export function firstDifference(a: readonly SignatureEntry[], b: readonly SignatureEntry[], names: readonly [string, string]): string | null {
  const [first, second] = names;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (!x || !y) {
      const [has, lacks] = x ? [first, second] : [second, first];
      const entry = (x ?? y)!;
      return `the ${has} has ${entry.at} (${show(entry)}) that the ${lacks} does not`;
    }
    if (x.at !== y.at || x.op !== y.op || folded(x.detail.join('\u0000')) !== folded(y.detail.join('\u0000'))) {
      return `first difference at ${x.at}: ${first} ${show(x)}; ${second} ${y.at === x.at ? '' : `${y.at} `}${show(y)}`;
    }
  }
  return null;
}

function show(entry: SignatureEntry): string {
  const detail = entry.detail.map((d) => clip(folded(d)));
  return detail.length === 0 ? entry.op : `${entry.op} with ${detail.join(', ')}`;
}

function clip(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}
