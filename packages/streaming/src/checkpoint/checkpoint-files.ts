import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every partition file starts with this header: the format's name and version, so that a
 * later version of Sluice (or a driver restarting from the directory) can tell what it
 * reads, and refuse what it cannot, instead of misreading it.
 */
const MAGIC = Buffer.from('SLUICE-RDD-PARTITION\n');
export const PARTITION_FORMAT_VERSION = 1;
const HEADER_BYTES = MAGIC.length + 4;

/** `dir/rddId/part-00003`, as Spark names an RDD's checkpoint files. */
export function partitionFile(dir: string, rddId: string, partition: number): string {
  return join(dir, rddDirName(rddId), `part-${String(partition).padStart(5, '0')}`);
}

export function rddDirName(rddId: string): string {
  // '@' and '.' are fine in file names; this only keeps the name portable.
  return `rdd-${rddId.replace(/[^A-Za-z0-9.@_-]/g, '_')}`;
}

/**
 * Writes one partition so that a reader sees either nothing or the whole file: write to a
 * temporary name, fsync, rename. A task retried after its executor died just writes
 * again (the rename replaces the file atomically).
 */
export async function writePartitionFile(dir: string, rddId: string, partition: number, bytes: Uint8Array): Promise<void> {
  await assertCheckpointDir(dir);
  const target = partitionFile(dir, rddId, partition);
  await mkdir(join(dir, rddDirName(rddId)), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header);
  header.writeUInt32BE(PARTITION_FORMAT_VERSION, MAGIC.length);
  const fh = await open(tmp, 'w');
  try {
    await fh.writev([header, bytes]);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, target);
}

export async function readPartitionFile(dir: string, rddId: string, partition: number): Promise<Uint8Array> {
  const file = partitionFile(dir, rddId, partition);
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      await assertCheckpointDir(dir);
      throw new Error(`checkpoint file ${file} is missing: the checkpoint of ${rddId} is incomplete or was deleted`);
    }
    throw err;
  }
  if (data.length < HEADER_BYTES || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new Error(`${file} is not a Sluice checkpoint partition file`);
  }
  const version = data.readUInt32BE(MAGIC.length);
  if (version !== PARTITION_FORMAT_VERSION) {
    throw new Error(`${file} is in checkpoint format ${version}; this version of Sluice reads format ${PARTITION_FORMAT_VERSION}`);
  }
  return data.subarray(HEADER_BYTES);
}

export async function removeCheckpointedRdd(dir: string, rddId: string): Promise<void> {
  await rm(join(dir, rddDirName(rddId)), { recursive: true, force: true });
}

/**
 * The checkpoint directory is made by the driver. An executor that cannot see it runs on
 * another host without a shared directory: say so rather than write where nobody reads.
 */
async function assertCheckpointDir(dir: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return;
  } catch {
    // fall through
  }
  throw new Error(
    `checkpoint directory ${dir} does not exist on host ${hostname()}: executors on other hosts need a directory ` +
      'they share with the driver; set it with ssc.checkpoint(dir) (or --checkpoint DIR)',
  );
}
