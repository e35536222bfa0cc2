import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { logDir, readLatestMetadataCheckpoint, type MetadataCheckpoint } from '@sluice/streaming/internal';

export const CHECKPOINT_USAGE = `Usage: sluice checkpoint inspect DIR [--json]

Prints what the checkpoint directory DIR holds: the newest metadata checkpoint (format
version, job graph, batch times pending and completed, the inputs of the batches a
restart would rerun or recompute, Kafka offsets, data checkpoints of state) and the
receivers' write-ahead log files. --json prints the metadata checkpoint as it is.
`;

export async function checkpointCommand(argv: string[]): Promise<number> {
  const [sub, dir, ...rest] = argv;
  if (sub !== 'inspect' || !dir) {
    process.stderr.write(sub === undefined || sub === '--help' || sub === '-h' ? CHECKPOINT_USAGE : `sluice: unknown checkpoint command\n\n${CHECKPOINT_USAGE}`);
    return sub === '--help' || sub === '-h' ? 0 : 2;
  }
  let found;
  try {
    found = await readLatestMetadataCheckpoint(dir);
  } catch (err) {
    process.stderr.write(`sluice: ${(err as Error).message}\n`);
    return 1;
  }
  if (!found) {
    process.stderr.write(`sluice: ${dir} holds no metadata checkpoint (no ${join(dir, 'metadata', 'checkpoint-*.json')})\n`);
    return 1;
  }
  if (rest.includes('--json')) {
    process.stdout.write(`${JSON.stringify(found.checkpoint, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(describeCheckpoint(found.checkpoint, found.file, dir));
  for (const s of found.skipped) process.stdout.write(`skipped (unreadable): ${s}\n`);
  return 0;
}

export function describeCheckpoint(cp: MetadataCheckpoint, file: string, dir: string): string {
  const lines: string[] = [];
  const iso = (t: number) => (t > 0 ? new Date(t).toISOString() : String(t));
  lines.push(`${file}`);
  lines.push(`  format ${cp.format} version ${cp.version}, written ${iso(cp.writtenAt)}`);
  lines.push(`  application ${cp.appName}, batch duration ${cp.batchDurationMs} ms, zero time ${cp.zeroTime} (${iso(cp.zeroTime)})`);
  lines.push(`  last generated batch ${cp.lastGeneratedTime} (${iso(cp.lastGeneratedTime)}), completed up to ${cp.completedUpTo}`);
  lines.push(`  pending batches (rerun after a restart): ${cp.pendingTimes.length === 0 ? 'none' : cp.pendingTimes.join(', ')}`);
  lines.push(`  graph: ${cp.graph.streams.length} streams, ${cp.graph.outputs.length} output operations`);
  for (const s of cp.graph.streams) lines.push(`    ${s}`);
  lines.push(`  batches whose inputs are kept: ${cp.batches.length}${cp.batches.length ? ` (${cp.batches[0]!.time} .. ${cp.batches[cp.batches.length - 1]!.time})` : ''}`);
  for (const b of cp.batches.slice(-5)) {
    const parts = Object.entries(b.inputs).map(([id, v]) => `stream ${id}: ${describeInput(v)}`);
    lines.push(`    ${b.time}: ${parts.join('; ') || '(no inputs)'}`);
  }
  if (cp.batches.length > 5) lines.push(`    (${cp.batches.length - 5} older not shown; --json shows all)`);
  for (const [id, v] of Object.entries(cp.inputs)) lines.push(`  input stream ${id}: ${JSON.stringify(v)}`);
  lines.push(`  data checkpoints: ${cp.dataCheckpoints.length === 0 ? 'none' : ''}`);
  for (const c of cp.dataCheckpoints) {
    const rddDir = join(c.dir, `rdd-${c.rddId.replace(/[^A-Za-z0-9.@_-]/g, '_')}`);
    const files = existsSync(rddDir) ? readdirSync(rddDir).filter((f) => f.startsWith('part-')).length : 0;
    lines.push(`    stream ${c.streamId} at ${c.time}: ${c.rddId}, ${files}/${c.numPartitions} partition files in ${rddDir}`);
  }
  for (const id of cp.graph.streams.map((s) => Number(s.split(':')[0]))) {
    const wal = logDir(dir, id);
    if (!existsSync(wal)) continue;
    const files = readdirSync(wal).filter((f) => f.startsWith('log-'));
    const bytes = files.reduce((n, f) => n + statSync(join(wal, f)).size, 0);
    lines.push(`  write-ahead log of stream ${id}: ${files.length} file(s), ${bytes} bytes in ${wal}`);
  }
  return `${lines.join('\n')}\n`;
}

function describeInput(v: unknown): string {
  if (Array.isArray(v)) {
    const blocks = v as { count?: number; wal?: unknown }[];
    const records = blocks.reduce((n, b) => n + (b.count ?? 0), 0);
    const logged = blocks.filter((b) => b.wal).length;
    return `${blocks.length} block(s), ${records} records, ${logged} in the write-ahead log`;
  }
  const ranges = (v as { ranges?: { topic: string; partition: number; fromOffset: number; untilOffset: number }[] })?.ranges;
  if (ranges) return ranges.map((r) => `${r.topic}-${r.partition} [${r.fromOffset}, ${r.untilOffset})`).join(', ');
  return JSON.stringify(v);
}
