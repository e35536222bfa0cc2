// Builds every package's dist/ (`nx run-many -t build`, from Nx's cache when nothing
// changed), showing Nx's output; returns the exit status. Used by npm's prepare step
// (prepare.mjs) and by the test runner (tools/test/run-tests.mjs) before the tests.
import { spawnSync } from 'node:child_process';

export function buildAll(root) {
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  return spawnSync(npx, ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], { cwd: root, stdio: 'inherit' }).status ?? 1;
}
