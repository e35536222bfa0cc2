import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
wasm.setWasmPaths(process.argv[2] ?? '/nonexistent/');
wasm.setThreadsCount(2);
let ok: boolean;
try { ok = await tf.setBackend('wasm'); } catch (e) { console.log('threw', e); ok = false; }
console.log('ok', ok, 'current', tf.engine().backendName);
try { console.log('threads', wasm.getThreadsCount()); } catch (e) { console.log((e as Error).message); }
console.log('getBackend', tf.getBackend());
