import { fileURLToPath } from 'node:url';

/**
 * The path of job module `name` of this directory (classify-job, tune-job), as this code
 * runs: the .ts source under src/ (tests, SLUICE_FROM_SOURCE=1) or the built .js under
 * dist/. The driver and its executors load the job from there.
 */
export function jobModulePath(name: string): string {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`./${name}${extension}`, import.meta.url));
}
