import { transformSync } from 'esbuild';
import { encodeSignature, parseSignature } from '@sluice/streaming/internal';

const FUNCTION = 'fn ';

/**
 * A function's source as the job bundle prints it: esbuild, whitespace minified, names
 * kept (job-bundle.ts). Unchanged when esbuild cannot read it on its own (a method
 * shorthand, native code).
 */
function printedAsBundled(source: string): string {
  try {
    const code = transformSync(`(${source})`, { minifyWhitespace: true, keepNames: true, format: 'esm', target: 'node20', logLevel: 'silent' }).code.trim();
    // The parentheses and semicolon around the expression are ours; keepNames's helper
    // and wrapper (a named function inside) stay, the same on both sides.
    return code.startsWith('(') && code.endsWith(');') ? code.slice(1, -2) : code;
  } catch {
    return source;
  }
}

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
