import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A stack trace with each frame in built JavaScript (Sluice's dist/*.js, an executor's
 * cached job bundle) named by the source it was built from (`src/rdd/rdd.ts:117:7`, the
 * user's `wordcount.ts:8:26`), through the file's source map. Node could do this for every
 * stack (`--enable-source-maps`), but it then reads and parses the source map of every
 * module as it loads, TensorFlow.js's 14 MB of them included: a task thread loading the
 * classifier's model started about 0.3 s later (docs/benchmarks/startup.md). Here a map is
 * read only when a stack that needs it is reported: a failed task's. Frames of packages in
 * node_modules (other than Sluice's own) and of files without a map stay as they are.
 */
export function originalStack(stack: string): string {
  return stack.replace(FRAME, (whole, open: string, location: string, line: string, column: string, close: string) => {
    const original = originalPosition(location, Number(line), Number(column));
    return original ? `${open}${original}${close}` : whole;
  });
}

/** `(file:///x/y.js:12:5)` or `at /x/y.mjs:12:5` at the end of a stack line. */
const FRAME = /(\(|at )((?:file:\/\/)?\/[^()\s]*?\.[cm]?js):(\d+):(\d+)(\)?)$/gm;

const MAGIC = '//# sourceMappingURL=';

const maps = new Map<string, { map: SourceMap; dir: string; root: string } | null>();

function originalPosition(location: string, line: number, column: number): string | null {
  const file = location.startsWith('file:') ? fileURLToPath(location) : location;
  if (file.includes('/node_modules/') && !file.includes('/node_modules/@sluice/')) return null;
  const found = mapOf(file);
  if (!found) return null;
  const entry = found.map.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
  if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return null;
  const source = entry.originalSource.startsWith('file:')
    ? fileURLToPath(entry.originalSource)
    : isAbsolute(entry.originalSource)
      ? entry.originalSource
      : resolve(found.dir, found.root, entry.originalSource);
  return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

/** The file's source map (its `sourceMappingURL`: a data URL or a file beside it), read once; null if none. */
function mapOf(file: string): { map: SourceMap; dir: string; root: string } | null {
  if (maps.has(file)) return maps.get(file)!;
  let found: { map: SourceMap; dir: string; root: string } | null = null;
  try {
    const code = readFileSync(file, 'utf8');
    const at = code.lastIndexOf(MAGIC);
    const url = at < 0 ? '' : code.slice(at + MAGIC.length).trim();
    if (url) {
      // Sources are named relative to the map.
      const mapFile = url.startsWith('data:') ? file : resolve(dirname(file), url);
      const text = url.startsWith('data:') ? Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('utf8') : readFileSync(mapFile, 'utf8');
      const payload = JSON.parse(text) as ConstructorParameters<typeof SourceMap>[0] & { sourceRoot?: string };
      found = { map: new SourceMap(payload), dir: dirname(mapFile), root: payload.sourceRoot ?? '' };
    }
  } catch {
    found = null; // unreadable or not a map: the frame stays as it is
  }
  maps.set(file, found);
  return found;
}
