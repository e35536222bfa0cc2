import { transformSync } from 'esbuild';
import { encodeSignature, parseSignature } from '@sluice/streaming/internal';

const FUNCTION = 'fn ';

const AS_BUNDLED = {
  minifyWhitespace: true,
  keepNames: true,
  // The bundle moves `/*! ... */` comments to the end of the file: none stay in a function.
  legalComments: 'none',
  format: 'esm',
  target: 'node20',
  logLevel: 'silent',
} as const;

/** `source` as an expression `open + source + close`, printed the bundle's way; null when esbuild cannot read it. */
function reprinted(source: string, open: string, close: string): string | null {
  try {
    const code = transformSync(`${open}${source}${close}`, AS_BUNDLED).code.trim();
    // The brackets and semicolon around the expression are ours; keepNames's helper and
    // wrapper (a named function inside) stay, the same on both sides.
    return code.startsWith(open) && code.endsWith(`${close};`) ? code.slice(open.length, -close.length - 1) : code;
  } catch {
    return null;
  }
}

/**
 * A function's source as the job bundle prints it: esbuild, whitespace minified, comments
 * dropped, names kept (job-bundle.ts). The source keeps its line breaks
 * (graph-signature.ts), so a `//` comment ends where it did. A method (`f(x) { ... }`,
 * from an object literal or a class) is read inside an object literal. Unchanged when
 * esbuild cannot read it either way (native code).
 */
function printedAsBundled(source: string): string {
  const printed = printedOnce(source);
  if (printed === null) return source;
  // A dropped legal comment (`/*! */`, `@license`) leaves the semicolon before it, which
  // the bundle does not have; printing once more drops it.
  return LEGAL_COMMENT.test(source) ? (printedOnce(printed) ?? printed) : printed;
}

function printedOnce(source: string): string | null {
  // A line comment at the very end would swallow the closing bracket: a line break ends it.
  const text = `${source}\n`;
  return reprinted(text, '(', ')') ?? reprinted(text, '({', '})');
}

/** What esbuild takes for a legal comment. */
const LEGAL_COMMENT = /\/[*/]!|@license|@preserve/;

/**
 * The graph fingerprint `encoded` with every function printed as the job bundle prints
 * it. Executors build their graph from the job's bundle; the driver from the job module
 * itself. A TypeScript job reaches the driver through tsx, which prints it as esbuild
 * does, so both fingerprints agree as they are. A JavaScript job (the classifier's built
 * job, a user's .js file) keeps its own formatting on the driver (`(line) => line.split(' ')`
 * where the bundle has `line=>line.split(" ")`): both sides printed the same way compare
 * the code, not its layout.
 */
export function signatureAsBundled(encoded: string): string {
  const entries = parseSignature(encoded);
  if (!entries) return encoded;
  return encodeSignature(
    entries.map((entry) => ({
      ...entry,
      detail: entry.detail.map((d) => (d.startsWith(FUNCTION) ? `${FUNCTION}${printedAsBundled(d.slice(FUNCTION.length))}` : d)),
    })),
  );
}
