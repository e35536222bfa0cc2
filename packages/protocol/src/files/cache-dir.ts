import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The root of everything Sluice keeps between runs (models, wheels, job bundles, the
 * Kafka broker's jars): $SLUICE_CACHE_DIR if set, else ~/.cache/sluice. A cache with a
 * variable of its own (SLUICE_JOB_CACHE, SLUICE_KAFKA_HOME) takes that one first.
 */
export function sluiceCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.SLUICE_CACHE_DIR;
  return configured && configured.trim() !== '' ? configured : join(homedir(), '.cache', 'sluice');
}
