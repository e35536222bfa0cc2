// What the bins read to load the sources (see @sluice/protocol/load-entry).
import { FROM_SOURCE_ENV } from '@sluice/protocol/load-entry';

/**
 * True when this code runs from its TypeScript sources (src/ through tsx, as the tests and
 * SLUICE_FROM_SOURCE=1 do), false when it runs from the built JavaScript in dist/. The
 * executors and task threads started from here run the same way: a driver and its
 * executors compare the graphs they built, functions by their source text, and two
 * copies of a package (one from src/, one from dist/) in one process would not share
 * their classes.
 */
export const RUNS_FROM_SOURCE = import.meta.url.endsWith('.ts');

/** `env` for a process started from here (an executor): SLUICE_FROM_SOURCE set to match. */
export function withBuildMode(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  if (RUNS_FROM_SOURCE) out[FROM_SOURCE_ENV] = '1';
  else delete out[FROM_SOURCE_ENV];
  return out;
}
