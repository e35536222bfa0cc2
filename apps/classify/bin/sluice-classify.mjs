#!/usr/bin/env node
// The sluice-classify command: runs the TypeScript sources directly through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
const code = await main(process.argv.slice(2));
// Executors and sockets are closed by now; exit rather than wait for stray timers.
process.exit(code);
