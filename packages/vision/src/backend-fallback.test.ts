import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

/**
 * Runs a snippet in a fresh Node process (TensorFlow.js backend state is per process)
 * with WebAssembly instantiation sabotaged, and returns its stdout.
 */
function runWithoutWasm(body: string): string {
  const backendModule = new URL('./backend.ts', import.meta.url).href;
  // Modules are imported first: the TypeScript loader itself uses WebAssembly.
  const script = `
    const { selectBackend } = await import(${JSON.stringify(backendModule)});
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    WebAssembly.instantiate = async () => { throw new Error('WebAssembly disabled by the test'); };
    ${body}
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(child.status, 0, child.stderr);
  return child.stdout;
}

describe('selectBackend without a working fast backend', { skip: canResolve('@tensorflow/tfjs-node') }, () => {
  it("'auto' throws instead of falling back to the pure-JS cpu backend", () => {
    const out = runWithoutWasm(`
      try { await selectBackend({ log: () => {} }); console.log('selected', tf.getBackend()); }
      catch (error) { console.log(error.message); }
    `);
    assert.match(out, /no fast TensorFlow\.js backend could be started/);
    assert.match(out, /Refusing to fall back to the pure-JavaScript 'cpu' backend/);
    assert.doesNotMatch(out, /selected/);
  });

  it("'cpu' runs when asked for by name, and says it is slow", () => {
    const out = runWithoutWasm(`
      const info = await selectBackend({ backend: 'cpu', log: (line) => console.log(line) });
      console.log('active', info.name, tf.getBackend());
    `);
    assert.match(out, /backend cpu \(pure JavaScript, slow; explicitly requested\)/);
    assert.match(out, /active cpu cpu/);
  });
});

function canResolve(specifier: string): boolean {
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}
