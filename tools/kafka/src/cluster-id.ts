// A KRaft cluster id, made here rather than by `kafka-storage random-uuid`, which would cost
// one more JVM start (seconds on a small machine) for sixteen random bytes.
import { randomBytes } from 'node:crypto';

/**
 * Same rules as org.apache.kafka.common.Uuid.randomUuid(): 16 random bytes in URL-safe base64
 * without padding, never the all-zero id and never one starting with '-', which command-line
 * parsers would take for an option.
 */
export function randomClusterId(): string {
  for (;;) {
    const bytes = randomBytes(16);
    if (bytes.every((b) => b === 0)) continue;
    const id = bytes.toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
