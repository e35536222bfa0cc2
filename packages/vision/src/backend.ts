import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { logToStderr, type Log } from './log.js';
import { requireTfjsPackage, tf } from './tfjs.js';

/**
 * 'auto' means: native TensorFlow (@tensorflow/tfjs-node) when it loads, else
 * WebAssembly with SIMD. It never means the pure-JavaScript 'cpu' backend, which is
 * 10-50x slower and would quietly turn a classification job into a crawl; 'cpu'
 * runs only when asked for by name.
 */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** Human-readable details, e.g. "wasm (SIMD, 1 thread)". */
  description: string;
}

export interface BackendOptions {
  backend?: BackendChoice;
  /**
   * Threads native TensorFlow uses within one operation (TF_NUM_INTRAOP_THREADS; ops run
   * one at a time, TF_NUM_INTEROP_THREADS=1). An executor passes its cores. Default:
   * every core of the machine. Fixed when TensorFlow starts; unused by wasm (1 thread).
   */
  threads?: number;
  log?: Log;
}

type Attempt = { ok: true; info: BackendInfo } | { ok: false; reason: string };

// TensorFlow.js has one active backend per process; remember what was chosen.
let active: BackendInfo | undefined;
let pending: Promise<BackendInfo> | undefined;

/**
 * Makes the requested backend the active TensorFlow.js backend of this process, once.
 * Later calls with 'auto' or the same choice return the same answer; asking for a
 * different backend afterwards is an error, because loaded models hold their weights
 * on the backend that was active when they were loaded.
 */
export async function selectBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  const choice = options.backend ?? 'auto';
  while (pending) await pending.catch(() => undefined);
  if (active) {
    if (choice === 'auto' || choice === active.name) return active;
    throw new Error(
      `TensorFlow.js backend is already '${active.name}' in this process; cannot switch to '${choice}'`,
    );
  }
  pending = initialise(choice, options.log ?? logToStderr, options.threads ?? availableParallelism());
  try {
    active = await pending;
    return active;
  } finally {
    pending = undefined;
  }
}

/** The backend chosen by selectBackend, if one has been. */
export function activeBackend(): BackendInfo | undefined {
  return active;
}

/**
 * Throws unless TensorFlow.js is still running on the backend we chose. Guards
 * against anything else in the process switching backends under a loaded model.
 */
export function assertBackendActive(expected: BackendName): void {
  const current = tf.getBackend();
  if (current !== expected) {
    throw new Error(`TensorFlow.js backend changed from '${expected}' to '${current}' after the model was loaded`);
  }
}

async function initialise(choice: BackendChoice, log: Log, threads: number): Promise<BackendInfo> {
  const attempt = await attemptChoice(choice, threads);
  if (!attempt.ok) throw new Error(attempt.reason);
  log(`vision: TensorFlow.js backend ${attempt.info.description}`);
  return attempt.info;
}

async function attemptChoice(choice: BackendChoice, threads: number): Promise<Attempt> {
  switch (choice) {
    case 'tensorflow': {
      const native = await tryNative(threads);
      return native.ok ? native : { ok: false, reason: `backend 'tensorflow' was requested but ${native.reason}` };
    }
    case 'wasm': {
      const wasm = await tryWasm();
      return wasm.ok ? wasm : { ok: false, reason: `backend 'wasm' was requested but ${wasm.reason}` };
    }
    case 'cpu':
      return tryCpu();
    case 'auto': {
      const native = await tryNative(threads);
      if (native.ok) return native;
      const wasm = await tryWasm();
      if (wasm.ok) return { ok: true, info: { ...wasm.info, description: `${wasm.info.description}; ${native.reason}` } };
      return {
        ok: false,
        reason:
          `no fast TensorFlow.js backend could be started (${native.reason}; ${wasm.reason}). ` +
          `Refusing to fall back to the pure-JavaScript 'cpu' backend; pass backend: 'cpu' to use it deliberately.`,
      };
    }
  }
}

async function tryNative(threads: number): Promise<Attempt> {
  // TensorFlow reads these once, when its first context is created; a value set by the
  // user wins.
  process.env.TF_NUM_INTRAOP_THREADS ??= String(threads);
  process.env.TF_NUM_INTEROP_THREADS ??= '1';
  // TensorFlow's C++ start-up chatter (CPU feature notes) is not for users of this app.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  try {
    requireTfjsPackage('@tensorflow/tfjs-node');
  } catch (error) {
    // Only the package itself missing means "not installed"; a module it cannot find is a broken install.
    const notInstalled = (error as { code?: string }).code === 'MODULE_NOT_FOUND' && messageOf(error).includes("'@tensorflow/tfjs-node'");
    return { ok: false, reason: `@tensorflow/tfjs-node ${notInstalled ? 'is not installed (npm run native builds it)' : `failed to load: ${messageOf(error)}`}` };
  }
  // tfjs-node registers its backend with the @tensorflow/tfjs-core it resolves; if
  // that is a different copy from ours, it is of no use to us.
  if (!tf.findBackendFactory('tensorflow')) {
    return { ok: false, reason: '@tensorflow/tfjs-node loaded but registered with a different @tensorflow/tfjs-core copy' };
  }
  if (!(await tf.setBackend('tensorflow'))) {
    return { ok: false, reason: '@tensorflow/tfjs-node loaded but its backend failed to initialise' };
  }
  const intraOp = process.env.TF_NUM_INTRAOP_THREADS;
  return {
    ok: true,
    info: { name: 'tensorflow', description: `tensorflow (native libtensorflow via @tensorflow/tfjs-node, ${intraOp} thread${intraOp === '1' ? '' : 's'})` },
  };
}

async function tryWasm(): Promise<Attempt> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  let directory: string;
  try {
    wasm = requireTfjsPackage<typeof import('@tensorflow/tfjs-backend-wasm')>('@tensorflow/tfjs-backend-wasm');
    directory = wasmBinaryDirectory();
    wasm.setWasmPaths(directory);
    // In Node, tfjs-backend-wasm 4.x reports no multithreading support (its
    // WASM_HAS_MULTITHREAD_SUPPORT flag is false whenever IS_NODE), so it always
    // loads the single-threaded binary; one thread is also what an executor that
    // runs one task per core wants. Set explicitly so the intent is visible.
    wasm.setThreadsCount(1);
  } catch (error) {
    return { ok: false, reason: `the wasm backend could not be prepared: ${messageOf(error)}` };
  }
  // setBackend resolves false (and logs) when the .wasm binary cannot be loaded. It
  // leaves tf.getBackend() reporting 'wasm' even then, so only its result counts.
  let started = false;
  try {
    started = await tf.setBackend('wasm');
  } catch (error) {
    return { ok: false, reason: `the wasm backend failed to start: ${messageOf(error)}` };
  }
  if (!started) return { ok: false, reason: `the wasm backend failed to start (binaries looked for in ${directory})` };
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = wasm.getThreadsCount();
  return {
    ok: true,
    info: { name: 'wasm', description: `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})` },
  };
}

async function tryCpu(): Promise<Attempt> {
  if (!(await tf.setBackend('cpu'))) return { ok: false, reason: "the 'cpu' backend failed to initialise" };
  return { ok: true, info: { name: 'cpu', description: 'cpu (pure JavaScript, slow; explicitly requested)' } };
}

/**
 * The directory holding tfjs-backend-wasm's .wasm files, as a plain file path with a
 * trailing separator. tfjs builds each binary's location as prefix + file name (no
 * path joining), and in Node emscripten reads it with fs.readFileSync, so a
 * directory path without the trailing separator would silently point elsewhere.
 */
export function wasmBinaryDirectory(): string {
  const require = createRequire(import.meta.url);
  // The package's main entry is dist/tf-backend-wasm.node.js, next to the binaries.
  const directory = dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + sep;
  const simdBinary = `${directory}tfjs-backend-wasm-simd.wasm`;
  if (!existsSync(simdBinary)) throw new Error(`${simdBinary} does not exist`);
  return directory;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0]!;
  if (error && typeof error === 'object' && 'message' in error) return String((error).message);
  return String(error);
}
