#!/usr/bin/env node
// npm's `prepare` (it runs after `npm ci` and `npm install` in the repository): builds
// every package's dist/, so that the commands work right after installing. Nx keeps the
// result in its cache, so a later `npm run build` with nothing changed takes a moment.
// Nothing is built by an install without the development tools (`npm ci --omit=dev`: no
// Nx, no TypeScript) or before the sources are there (a container image's install layer,
// see deploy/Dockerfile, which builds once they are).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build-all.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
if (!existsSync(join(root, 'node_modules/nx')) || !existsSync(join(root, 'node_modules/typescript'))) {
  console.log('sluice: Nx or TypeScript is not installed (an install without dev dependencies): not building');
  process.exit(0);
}
if (!existsSync(join(root, 'packages/streaming/src'))) {
  console.log('sluice: no sources yet: not building');
  process.exit(0);
}
const started = Date.now();
const status = buildAll(root);
if (status === 0) console.log(`sluice: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(status);
