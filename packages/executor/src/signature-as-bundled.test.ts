import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { diffGraphSignatures, encodeSignature, functionSource } from '@sluice/streaming/internal';
import { bundleJob } from './job-bundle.js';
import { signatureAsBundled } from './signature-as-bundled.js';

// A JavaScript module as a user writes it: the driver imports it as it is, comments
// included; executors import its bundle (bundleJob), which has none.
const dir = mkdtempSync(join(tmpdir(), 'sluice-signature-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'functions.mjs');
writeFileSync(
  file,
  `export const functions = [
  (line) => {
    // a line comment: the code after it counts
    const links = line.match(/https?:\\/\\/\\S+/g) ?? []; // a regular expression with slashes
    /* a block comment */ return [\`\${links.length} // not a comment\`, '/* not one either */'];
  },
  {
    pick(pair) { // a method, as given from an object literal
      return pair[0]; /*! a legal comment */
    },
  }.pick,
  (a, b) => a + b, // a trailing comment
];
`,
);

type Functions = { functions: unknown[] };
const fingerprint = (functions: unknown[]) =>
  encodeSignature(functions.map((f, i) => ({ at: `DStream ${i}`, op: 'MappedDStream', detail: [functionSource(f)] })));

async function driverAndExecutor(): Promise<[string, string]> {
  const driver = (await import(pathToFileURL(file).href)) as Functions;
  const bundle = await bundleJob(file);
  const bundled = join(dir, `bundle-${bundle.hash}.mjs`);
  writeFileSync(bundled, bundle.code);
  const executor = (await import(pathToFileURL(bundled).href)) as Functions;
  return [fingerprint(driver.functions), fingerprint(executor.functions)];
}

test('functions with comments compare equal to their bundle once both are printed the bundle\'s way', async () => {
  const [driver, executor] = await driverAndExecutor();
  assert.notEqual(diffGraphSignatures(driver, executor), null, 'as they are, the comments differ');
  assert.equal(diffGraphSignatures(signatureAsBundled(driver), signatureAsBundled(executor)), null);
});

test('a real difference in the code still shows once comments are dropped', async () => {
  const [driver] = await driverAndExecutor();
  const other = driver.replace('a + b', 'a - b');
  assert.match(diffGraphSignatures(signatureAsBundled(driver), signatureAsBundled(other)) ?? '', /first difference at DStream 2: driver MappedDStream with fn \(a,b\)=>a\+b; executor MappedDStream with fn \(a,b\)=>a-b/);
});
