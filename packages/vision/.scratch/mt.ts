import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { wasmBinaryDirectory } from '../src/backend.js';
wasm.setWasmPaths(wasmBinaryDirectory());
wasm.setThreadsCount(2);
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
const t = setTimeout(() => { console.log('TIMEOUT: threaded init hung'); process.exit(2); }, 15000);
try { const ok = await tf.setBackend('wasm'); console.log('ok', ok, 'threads', ok ? wasm.getThreadsCount() : '-'); } catch (e) { console.log('threw', (e as Error).message); }
clearTimeout(t);
