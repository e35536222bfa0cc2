// How Sluice's programs (the sluice, sluice-executor, sluice-classify, sluice-sender and
// sluice-kafka commands, and an executor's task threads) load their code: the JavaScript
// that `npm run build` emits into the package's dist/, run by node as it is. With
// SLUICE_FROM_SOURCE=1 they load the TypeScript sources in src/ through tsx instead, for
// working on Sluice without a build; the executors a driver starts run the same way as
// the driver (the variable is passed on to them).
//
// Plain JavaScript, shipped as it is: it has to run before anything is built.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The environment variable that selects the sources (src/ through tsx) over dist/. */
export const FROM_SOURCE_ENV = 'SLUICE_FROM_SOURCE';

/** True when SLUICE_FROM_SOURCE asks for the sources. */
export function fromSourceRequested(env = process.env) {
  const value = env[FROM_SOURCE_ENV];
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

let sourceHooks = false;

/**
 * Makes this thread load Sluice's TypeScript sources: the `sluice-source` export
 * condition (each package's exports map it to src/) and tsx for the .ts files.
 */
export async function useSources() {
  if (sourceHooks) return;
  sourceHooks = true;
  register('./source-condition-hook.mjs', import.meta.url);
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
}

/**
 * Imports the program's module `name` (a path under src/ or dist/ without its extension,
 * e.g. 'main' or 'cli/run') of the package whose bin/ directory holds `binUrl`, and
 * returns its exports. `options.fromSource` overrides the environment (task threads are
 * told by their executor).
 */
export async function loadEntry(binUrl, name, options = {}) {
  const fromSource = options.fromSource ?? fromSourceRequested();
  if (fromSource) {
    await useSources();
    return import(new URL(`../src/${name}.ts`, binUrl).href);
  }
  const built = new URL(`../dist/${name}.js`, binUrl);
  if (!existsSync(fileURLToPath(built))) {
    const packageDir = fileURLToPath(new URL('..', binUrl));
    process.stderr.write(
      `sluice: ${fileURLToPath(built)} is missing: Sluice is not built. Run \`npm run build\` in the repository ` +
        `(it emits each package's dist/), or set ${FROM_SOURCE_ENV}=1 to run the TypeScript sources of ${packageDir} through tsx.\n`,
    );
    process.exit(1);
  }
  return import(built.href);
}
