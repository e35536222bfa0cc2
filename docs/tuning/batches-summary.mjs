// Prints one line per completed batch of an event log, then the steady-state summary.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const dir = process.argv[2];
const file = readdirSync(dir).find((n) => n.endsWith('.jsonl'));
const batches = readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  .filter((e) => e.type === 'onBatchCompleted').map((e) => e.payload.batchInfo);
const first = batches.findIndex((b) => b.numRecords > 0);
console.log('batch time     records  sched ms  proc ms  total ms');
for (const b of batches.slice(first)) console.log(`${b.batchTime}  ${String(b.numRecords).padStart(7)}  ${String(b.schedulingDelay).padStart(8)}  ${String(b.processingDelay).padStart(7)}  ${String(b.totalDelay).padStart(8)}`);
const steady = batches.slice(first + 3, -1);
const mean = (f) => Math.round(steady.reduce((s, b) => s + f(b), 0) / steady.length);
console.log(`steady state (batches 4..${steady.length + 3}): ${mean((b) => b.numRecords)} records per batch, scheduling delay mean ${mean((b) => b.schedulingDelay)} ms, max ${Math.max(...steady.map((b) => b.schedulingDelay))} ms, processing mean ${mean((b) => b.processingDelay)} ms`);
