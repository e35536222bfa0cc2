import { mkdir, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A cross-process lock made of a directory (mkdir is atomic), so that executors
 * starting together, or parallel test files, do not download and convert the same
 * artefact (a model, a wheel, Kafka's jars) into the cache at once. `onWait` is called
 * once if the lock is held by another process. A lock older than staleAfterMs belongs
 * to a process that died mid-fetch: it is taken over.
 */
export async function withDirLock<T>(lockDir: string, onWait: () => void, work: () => Promise<T>, staleAfterMs = 20 * 60_000): Promise<T> {
  let told = false;
  for (;;) {
    try {
      await mkdir(lockDir, { recursive: false });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await ageOf(lockDir);
      if (age !== undefined && age > staleAfterMs) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!told) {
        onWait();
        told = true;
      }
      await sleep(300);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function ageOf(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}
