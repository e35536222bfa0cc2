import { statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Why `job` (as given on the command line) is not a job file one can run, or null when
 * it is a file. A mistake on the command line, like a misspelt option: the commands exit
 * 2 with it before starting anything.
 */
export function jobFileProblem(job: string): string | null {
  const path = resolve(job);
  try {
    if (statSync(path).isFile()) return null;
    return `the job file ${job} is a directory, not a file`;
  } catch {
    return `job file not found: ${job}${path === job ? '' : ` (there is no ${path})`}`;
  }
}
