import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Writes `bytes` to `target` so that a reader sees the old file or the whole new one,
 * never a torn one: write to a temporary name beside it, fsync, rename over the target,
 * then fsync the directory so the rename itself survives a power cut. On any error
 * (ENOSPC, EACCES, EROFS...) the temporary file is removed and the target is untouched.
 */
export async function writeFileDurably(target: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  let fh;
  try {
    fh = await open(tmp, 'w');
    await fh.writeFile(bytes);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmp, target);
  } catch (err) {
    await fh?.close().catch(() => {});
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
  await syncDirectory(dirname(target));
}

/** fsync of a directory, so that a create or rename in it is durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } catch (err) {
    // Some file systems refuse fsync on a directory; the rename is then as durable as they make it.
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL' && (err as NodeJS.ErrnoException).code !== 'EISDIR') throw err;
  } finally {
    await dh.close();
  }
}

/** A one-line explanation of a file-system error on the checkpoint directory. */
export function describeMediaError(err: unknown, what: string): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOSPC':
      return `${what}: the disk is full (ENOSPC); free space or move the checkpoint directory`;
    case 'EDQUOT':
      return `${what}: disk quota exceeded (EDQUOT)`;
    case 'EACCES':
    case 'EPERM':
      return `${what}: permission denied (${e.code}); make the checkpoint directory writable by this user`;
    case 'EROFS':
      return `${what}: the file system is read-only (EROFS)`;
    case 'EIO':
      return `${what}: I/O error (EIO): the medium may be failing`;
    default:
      return `${what}: ${e?.message ?? String(err)}`;
  }
}

/**
 * Makes `dir` and proves it writable (a file written durably and removed), so that an
 * unwritable checkpoint directory stops the start with a clear reason instead of failing
 * at the first batch.
 */
export async function assertWritableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const probe = join(dir, `.write-test-${process.pid}`);
    await writeFileDurably(probe, 'ok');
    await rm(probe, { force: true });
  } catch (err) {
    throw new Error(describeMediaError(err, `the checkpoint directory ${dir} is not usable`));
  }
}
