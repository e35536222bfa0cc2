import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * What an executor's task threads run as soon as they start, before the driver has sent
 * the job: a module whose `warmUp` (or default) export is called with `args`. An
 * application uses it to do its slow start-up work (importing TensorFlow.js, loading a
 * model) while the driver starts, instead of when the first batch arrives; state it
 * builds must live in a package the job imports too (the job itself is loaded later,
 * from the driver's bundle, as a module of its own).
 */
export interface ExecutorWarmUp {
  /** Path (or file URL) of the module. */
  module: string;
  args: string[];
}

/**
 * Runs the warm-up. Never throws: a warm-up that fails only loses its head start (the
 * job's own code then meets, and reports, the same problem in its first task).
 */
export async function runWarmUp(warmUp: ExecutorWarmUp, log: (line: string) => void): Promise<void> {
  try {
    const path = warmUp.module.startsWith('file:') ? fileURLToPath(warmUp.module) : warmUp.module;
    // Through tsx when it is TypeScript, as a job module is. A JavaScript one is imported
    // at once: importJobModule sits in the engine's modules, which are not loaded yet when
    // the warm-up starts and need not be first. (Importing even that one module of the
    // engine here, while the thread's body imports the rest, once left a task thread to
    // exit with code 13, a top-level await never settled.)
    const mod = (
      /\.(?:[cm]?ts|tsx)$/.test(path)
        ? await (await import('@sluice/streaming/internal')).importJobModule(path)
        : await import(pathToFileURL(isAbsolute(path) ? path : resolve(path)).href)
    ) as { warmUp?: unknown; default?: unknown };
    const fn = mod.warmUp ?? mod.default;
    if (typeof fn !== 'function') throw new Error('it exports no warmUp function');
    await (fn as (args: string[]) => unknown)(warmUp.args);
  } catch (err) {
    log(`executor: the warm-up ${warmUp.module} failed: ${(err as Error)?.message ?? String(err)}`);
  }
}

/** The command-line form (`sluice executor --warm-up MODULE --warm-up-args JSON`). */
export function warmUpArgs(warmUp: ExecutorWarmUp | null | undefined): string[] {
  return warmUp ? ['--warm-up', warmUp.module, '--warm-up-args', JSON.stringify(warmUp.args)] : [];
}

/** Parses `--warm-up-args`: a JSON array of strings. */
export function parseWarmUpArgs(json: string | undefined): string[] {
  if (json === undefined) return [];
  let args: unknown;
  try {
    args = JSON.parse(json);
  } catch {
    args = null;
  }
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw new Error(`--warm-up-args must be a JSON array of strings, got ${json}`);
  return args;
}
