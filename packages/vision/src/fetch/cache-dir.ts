import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where downloaded and converted artefacts live: $SLUICE_CACHE_DIR if set, else
 * ~/.cache/sluice (the same root the Kafka broker's jars are fetched into).
 */
export function sluiceCacheDir(): string {
  const configured = process.env.SLUICE_CACHE_DIR;
  return configured && configured.trim() !== '' ? configured : join(homedir(), '.cache', 'sluice');
}
