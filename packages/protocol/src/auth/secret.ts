import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Name of the environment variable that carries the shared secret (like SPARK_AUTH_SECRET). */
export const SECRET_ENV = 'SLUICE_SECRET';

/** A secret generated for one application, for executors the driver starts itself. */
export function generateSecret(): Buffer {
  return Buffer.from(randomBytes(32).toString('hex'), 'utf8');
}

/**
 * The shared secret from `--secret-file FILE` (its text, without the final newline), or
 * else from SLUICE_SECRET; null when neither is given. An empty secret is refused: it
 * would authenticate anyone.
 */
export function readSecret(secretFile: string | undefined, env: NodeJS.ProcessEnv = process.env): Buffer | null {
  let text: string;
  let from: string;
  if (secretFile !== undefined) {
    try {
      text = readFileSync(secretFile, 'utf8');
    } catch (err) {
      throw new Error(`cannot read the secret file ${secretFile}: ${(err as Error).message}`);
    }
    from = `secret file ${secretFile}`;
  } else if (env[SECRET_ENV] !== undefined) {
    text = env[SECRET_ENV];
    from = SECRET_ENV;
  } else {
    return null;
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret.length === 0) throw new Error(`the ${from} is empty`);
  return Buffer.from(secret, 'utf8');
}
