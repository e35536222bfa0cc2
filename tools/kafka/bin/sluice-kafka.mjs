#!/usr/bin/env node
// The sluice-kafka command, from the built JavaScript (SLUICE_FROM_SOURCE=1: from the
// sources; see @sluice/protocol/load-entry).
import { loadEntry } from '@sluice/protocol/load-entry';

await loadEntry(import.meta.url, 'cli');
