// A cross-process lock made of a directory: mkdir is atomic, so only one process gets it.
// Used so that parallel test runs do not download Kafka into the same cache at once.
import { mkdir, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** A lock older than this belongs to a process that died mid-fetch; a real fetch is far shorter. */
const STALE_AFTER_MS = 15 * 60 * 1000;
const POLL_MS = 500;

export async function withDirLock<T>(lockDir: string, onWait: () => void, work: () => Promise<T>): Promise<T> {
  let told = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await lockAge(lockDir);
      if (age !== undefined && age > STALE_AFTER_MS) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!told) {
        onWait();
        told = true;
      }
      await sleep(POLL_MS);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function lockAge(lockDir: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(lockDir)).mtimeMs;
  } catch {
    return undefined; // released between our mkdir and stat: just try again
  }
}
