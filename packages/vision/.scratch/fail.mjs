WebAssembly.instantiate = async () => { throw new Error('wasm disabled for this test'); };
const { selectBackend } = await import(new URL('../src/backend.ts', import.meta.url).href);
const tf = await import('@tensorflow/tfjs');
try { await selectBackend({ log: (l) => console.log('LOG', l) }); console.log('NO ERROR'); }
catch (e) { console.log('ERR', e.message); }
console.log('backend registry', tf.engine().backendName, Object.keys(tf.engine().registry));
