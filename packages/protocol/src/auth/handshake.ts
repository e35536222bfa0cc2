import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';

/**
 * Mutual shared-secret authentication of a driver/executor (or executor/executor)
 * connection, before any protocol message: a challenge-response in the spirit of
 * `spark.authenticate`. The secret never crosses the wire, only HMAC-SHA256 tags over
 * fresh nonces of both sides, so a recorded exchange cannot be replayed.
 *
 *   server -> client   MAGIC(4) nonceS(32)
 *   client -> server   MAGIC(4) nonceC(32) HMAC(secret, "client" nonceS nonceC)(32)
 *   server -> client   HMAC(secret, "server" nonceC nonceS)(32)
 *
 * The client proves it knows the secret before the server sends anything of the
 * application (the job bundle, tasks); the server proves it too, so an executor never
 * runs code from a driver that does not know the secret.
 */
const MAGIC = Buffer.from('SLA1', 'latin1');
const NONCE_BYTES = 32;
const TAG_BYTES = 32;
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

function tag(secret: Uint8Array, label: string, first: Uint8Array, second: Uint8Array): Buffer {
  return createHmac('sha256', secret).update(label).update(first).update(second).digest();
}

/** Reads exactly `n` bytes (what is left over stays for the protocol that follows). */
function readExactly(socket: Socket, n: number, timeoutMs: number, what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let have = 0;
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      parts.push(chunk);
      have += chunk.length;
      if (have < n) return;
      cleanup();
      socket.pause();
      const all = Buffer.concat(parts, have);
      if (have > n) socket.unshift(all.subarray(n));
      resolve(all.subarray(0, n));
    };
    const onClose = () => {
      cleanup();
      reject(new AuthenticationError(`the connection closed during authentication (waiting for ${what})`));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new AuthenticationError(`authentication failed: ${err.message}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new AuthenticationError(`no ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onError);
    socket.resume();
  });
}

/** The accepting side. Resolves when the peer proved it knows the secret; rejects otherwise. */
export async function authenticateServer(
  socket: Socket,
  secret: Uint8Array,
  timeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS,
): Promise<void> {
  const nonceS = randomBytes(NONCE_BYTES);
  socket.write(Buffer.concat([MAGIC, nonceS]));
  const reply = await readExactly(socket, MAGIC.length + NONCE_BYTES + TAG_BYTES, timeoutMs, 'authentication reply');
  if (!reply.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new AuthenticationError('the peer does not speak the Sluice authentication handshake');
  }
  const nonceC = reply.subarray(MAGIC.length, MAGIC.length + NONCE_BYTES);
  const theirs = reply.subarray(MAGIC.length + NONCE_BYTES);
  if (!timingSafeEqual(theirs, tag(secret, 'client', nonceS, nonceC))) {
    throw new AuthenticationError('the peer does not know the shared secret');
  }
  socket.write(tag(secret, 'server', nonceC, nonceS));
}

/** The connecting side. Resolves when the server proved it knows the secret. */
export async function authenticateClient(
  socket: Socket,
  secret: Uint8Array,
  timeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS,
): Promise<void> {
  const challenge = await readExactly(socket, MAGIC.length + NONCE_BYTES, timeoutMs, 'authentication challenge');
  if (!challenge.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new AuthenticationError('the server does not speak the Sluice authentication handshake (is it a Sluice driver of the same version?)');
  }
  const nonceS = challenge.subarray(MAGIC.length);
  const nonceC = randomBytes(NONCE_BYTES);
  socket.write(Buffer.concat([MAGIC, nonceC, tag(secret, 'client', nonceS, nonceC)]));
  const proof = await readExactly(socket, TAG_BYTES, timeoutMs, 'proof of the server').catch((err: Error) => {
    throw new AuthenticationError(
      `${err.message}: the driver closed the connection after our answer, which is what it does when the secrets differ`,
    );
  });
  if (!timingSafeEqual(proof, tag(secret, 'server', nonceC, nonceS))) {
    throw new AuthenticationError('the server does not know the shared secret');
  }
}
