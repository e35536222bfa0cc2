import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StreamingConf } from '../context/conf.js';
import type { CheckpointCut } from './checkpoint-cut.js';
import { writeFileDurably } from './durable-file.js';

/**
 * The driver's metadata checkpoint (docs/reliability.md#the-checkpoint-format): what a
 * restarted driver needs to carry on where a killed one stopped. One JSON file per
 * write, `metadata/checkpoint-<batch time>.json`, written durably (write, fsync, rename);
 * the newest few are kept. Records themselves are never in it: it points at what holds
 * them (Kafka offset ranges, write-ahead log positions, data checkpoint files).
 */
export const CHECKPOINT_FORMAT = 'sluice-metadata-checkpoint';
/** Bumped on any change a reader of the previous version would misread. */
export const CHECKPOINT_VERSION = 1;
/** Metadata files kept: the newest is used, older ones are a fallback if it is unreadable. */
const KEPT_FILES = 3;

export interface MetadataCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  /** Wall-clock time of the write. */
  writtenAt: number;
  appName: string;
  /** The configuration the job ran with (informative; the restarted job's own conf is used, except batchDurationMs which must match). */
  conf: StreamingConf;
  /** The DStream graph's shape: a restart with another graph is refused. */
  graph: { signature: string; streams: string[]; outputs: string[] };
  zeroTime: number;
  batchDurationMs: number;
  /** The newest batch generated. */
  lastGeneratedTime: number;
  /** Generated but not completed: rerun after a restart. */
  pendingTimes: number[];
  /** Every batch up to this one has completed. */
  completedUpTo: number;
  /**
   * Batches whose inputs a restart may need again (the pending ones, and those since the
   * oldest data checkpoint still in use, which recursive streams recompute from): per
   * batch time, per input stream id, what the stream needs to rebuild that batch's RDD.
   */
  batches: { time: number; inputs: Record<string, unknown> }[];
  /** Per input stream: state of the source beyond single batches (Kafka positions, next block number). */
  inputs: Record<string, unknown>;
  /** Data checkpoints (state, inverse windows) in use: where recursive streams start again. */
  dataCheckpoints: CheckpointCut[];
}

export function metadataDir(checkpointDir: string): string {
  return join(checkpointDir, 'metadata');
}

function fileName(time: number): string {
  return `checkpoint-${String(time).padStart(15, '0')}.json`;
}

/** Writes one metadata checkpoint and drops the oldest beyond the kept few. */
export function writeMetadataCheckpoint(checkpointDir: string, cp: MetadataCheckpoint): Promise<string> {
  return writeMetadataCheckpointText(checkpointDir, cp.lastGeneratedTime, JSON.stringify(cp));
}

/** writeMetadataCheckpoint of a checkpoint already serialized (`text`, whose lastGeneratedTime is `time`). */
export async function writeMetadataCheckpointText(checkpointDir: string, time: number, text: string): Promise<string> {
  const dir = metadataDir(checkpointDir);
  await mkdir(dir, { recursive: true });
  const file = join(dir, fileName(time));
  await writeFileDurably(file, text);
  const files = await listMetadataFiles(checkpointDir);
  for (const old of files.slice(0, Math.max(0, files.length - KEPT_FILES))) await rm(join(dir, old), { force: true });
  return file;
}

async function listMetadataFiles(checkpointDir: string): Promise<string[]> {
  try {
    return (await readdir(metadataDir(checkpointDir))).filter((f) => /^checkpoint-\d+\.json$/.test(f)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export interface ReadCheckpoint {
  checkpoint: MetadataCheckpoint;
  file: string;
  /** Newer files that could not be read (and why), skipped for this one. */
  skipped: string[];
}

/**
 * The newest readable metadata checkpoint in `checkpointDir`, or null if there is none.
 * A file of another format or version is an error (never guessed at); a file that does
 * not parse (a medium that lost it) is skipped for the previous one, and reported.
 */
export async function readLatestMetadataCheckpoint(checkpointDir: string): Promise<ReadCheckpoint | null> {
  const files = await listMetadataFiles(checkpointDir);
  const skipped: string[] = [];
  for (const name of files.reverse()) {
    const file = join(metadataDir(checkpointDir), name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      skipped.push(`${file}: ${(err as Error).message}`);
      continue;
    }
    return { checkpoint: validateFormat(parsed, file), file, skipped };
  }
  if (skipped.length > 0) {
    throw new Error(`no readable metadata checkpoint in ${checkpointDir}:\n  ${skipped.join('\n  ')}`);
  }
  return null;
}

function validateFormat(parsed: unknown, file: string): MetadataCheckpoint {
  const cp = parsed as Partial<MetadataCheckpoint>;
  if (cp?.format !== CHECKPOINT_FORMAT) {
    throw new Error(`${file} is not a Sluice metadata checkpoint (format ${JSON.stringify(cp?.format)})`);
  }
  if (cp.version !== CHECKPOINT_VERSION) {
    throw new Error(
      `${file} has checkpoint format version ${cp.version}; this Sluice reads version ${CHECKPOINT_VERSION}. ` +
        'Run the job with the Sluice version that wrote it until it has drained, or start from a new checkpoint directory.',
    );
  }
  return cp as MetadataCheckpoint;
}
