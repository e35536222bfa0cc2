import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPESCRIPT = /\.(?:[cm]?ts|tsx)$/;

let typescriptLoader: Promise<void> | null = null;

/**
 * Makes job modules written in TypeScript loadable: registers tsx in this thread, once,
 * right before the first such job is imported. Sluice's own code is JavaScript (dist/)
 * and needs no loader; it already runs under one when it runs from its sources.
 */
function loadTypeScript(): Promise<void> {
  typescriptLoader ??= import.meta.url.endsWith('.ts')
    ? Promise.resolve()
    : import('tsx/esm/api').then(({ register }) => void register());
  return typescriptLoader;
}

/**
 * Imports a job module (a path, relative to the working directory or absolute), through
 * tsx when it is TypeScript (.ts, .mts, .cts, .tsx). `query` is appended to its URL: a
 * query string makes the loader evaluate the module again (local mode's fresh copy).
 */
export async function importJobModule(jobModule: string, query = ''): Promise<{ default?: unknown; job?: unknown }> {
  const path = isAbsolute(jobModule) ? jobModule : resolve(jobModule);
  if (TYPESCRIPT.test(path)) await loadTypeScript();
  return (await import(`${pathToFileURL(path).href}${query}`)) as { default?: unknown; job?: unknown };
}
