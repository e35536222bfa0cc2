/**
 * `npm run native`: makes the native TensorFlow backend (@tensorflow/tfjs-node)
 * available from package registries only. Fetches (once, cached in ~/.cache/sluice)
 * libtensorflow from Maven Central and TensorFlow's C API headers from PyPI, installs
 * @tensorflow/tfjs-node with its install script off, builds its binding, and checks
 * that it loads and computes. Needs a JDK with Maven, Python 3 with pip, a C++
 * compiler and make; without them the wasm backend stays the default and nothing
 * else changes.
 *
 *   npm run native            build it (a no-op when it is already built)
 *   npm run native -- --check exit 0 if it is built and loads, 1 otherwise
 */
import { spawnSync } from 'node:child_process';
import { ensureLibtensorflow, ensureTensorflowHeaders } from './libtensorflow.js';
import { buildBinding, installedTfjsVersion, installTfjsNodePackage, tfjsNodeBindingBuilt, workspaceRoot } from './tfjs-node-binding.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

function missingTools(): string[] {
  const tools: [string, string[]][] = [
    ['mvn', ['-v']],
    ['java', ['-version']],
    ['python3', ['-m', 'pip', '--version']],
    ['c++', ['--version']],
    ['make', ['--version']],
  ];
  return tools.filter(([tool, args]) => spawnSync(tool, args, { stdio: 'ignore' }).status !== 0).map(([tool]) => (tool === 'python3' ? 'python3 with pip' : tool));
}

/** Loads tfjs-node in a fresh process and runs a matrix product on it. */
function checkLoads(): { ok: boolean; output: string } {
  const script =
    "const tf = require('@tensorflow/tfjs-node'); const x = tf.tensor2d([[1, 2], [3, 4]]);" +
    "const y = tf.matMul(x, x).dataSync(); if (tf.getBackend() !== 'tensorflow' || y[0] !== 7) throw new Error('wrong result ' + y);";
  const result = spawnSync(process.execPath, ['-e', script], { cwd: workspaceRoot(), encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

async function main(): Promise<number> {
  if (process.argv.includes('--check')) {
    const check = tfjsNodeBindingBuilt() ? checkLoads() : { ok: false, output: 'the tfjs-node binding is not built (npm run native)' };
    log(check.ok ? 'native: @tensorflow/tfjs-node loads and computes' : `native: not available: ${check.output}`);
    return check.ok ? 0 : 1;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    log(`native: only linux-x64 is supported (TensorFlow Java's native jar for this platform); this is ${process.platform}-${process.arch}`);
    return 1;
  }
  if (tfjsNodeBindingBuilt() && checkLoads().ok) {
    log('native: @tensorflow/tfjs-node is already built and loads; nothing to do');
    return 0;
  }
  const missing = missingTools();
  if (missing.length > 0) {
    log(`native: cannot build the native backend: missing ${missing.join(', ')}. The wasm backend stays the default.`);
    return 1;
  }
  const started = Date.now();
  const [lib, include] = await Promise.all([ensureLibtensorflow(log), ensureTensorflowHeaders(log)]);
  const directory = await installTfjsNodePackage(installedTfjsVersion(), log);
  await buildBinding(directory, lib, include, log);
  const check = checkLoads();
  if (!check.ok) {
    log(`native: the binding was built but does not load:\n${check.output}`);
    return 1;
  }
  log(`native: @tensorflow/tfjs-node is ready (${Math.round((Date.now() - started) / 1000)} s); --backend auto now uses it`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`native: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
