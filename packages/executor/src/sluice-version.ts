import { readFileSync } from 'node:fs';

/** The version of this Sluice installation (drivers and executors must agree). */
export const SLUICE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
