#!/usr/bin/env node
// The sluice command, from the built JavaScript (SLUICE_FROM_SOURCE=1: from the sources;
// see @sluice/protocol/load-entry). A job file in TypeScript is loaded through tsx.
import { loadEntry } from '@sluice/protocol/load-entry';

const { main } = await loadEntry(import.meta.url, 'main');
const code = await main(process.argv.slice(2));
// Executors and sockets are closed by now; exit rather than wait for stray timers.
process.exit(code);
