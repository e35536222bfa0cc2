#!/usr/bin/env node
// The executor program, from the built JavaScript (SLUICE_FROM_SOURCE=1: from the
// sources; see @sluice/protocol/load-entry).
import { loadEntry } from '@sluice/protocol/load-entry';

const { executorMain } = await loadEntry(import.meta.url, 'executor-main');
const code = await executorMain(process.argv.slice(2));
process.exit(code);
