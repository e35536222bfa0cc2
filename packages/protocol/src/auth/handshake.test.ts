import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { test } from 'node:test';
import { authenticateClient, authenticateServer, AuthenticationError } from './handshake.js';

/**
 * Runs the handshake over a real loopback connection that passes through a relay
 * recording every byte, then sends one message each way after it (to check that what
 * follows the handshake reaches the protocol untouched).
 */
async function exchange(serverSecret: string, clientSecret: string | null) {
  const wire: Buffer[] = [];
  const server = createServer();
  const serverSide = new Promise<{ ok: boolean; error?: Error; after?: string }>((resolve) => {
    server.once('connection', (socket: Socket) => {
      socket.on('error', () => {});
      authenticateServer(socket, Buffer.from(serverSecret), 2000).then(
        () => {
          socket.once('data', (d: Buffer) => {
            socket.end('pong');
            resolve({ ok: true, after: d.toString() });
          });
          socket.resume();
        },
        (error: Error) => {
          socket.destroy();
          resolve({ ok: false, error });
        },
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const relay = createServer((inbound) => {
    const outbound = connect((server.address() as AddressInfo).port, '127.0.0.1');
    inbound.on('data', (d: Buffer) => (wire.push(d), outbound.write(d)));
    outbound.on('data', (d: Buffer) => (wire.push(d), inbound.write(d)));
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
    inbound.on('error', () => {});
    outbound.on('error', () => {});
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  const client = connect((relay.address() as AddressInfo).port, '127.0.0.1');
  client.on('error', () => {});
  await new Promise((r) => client.once('connect', r));
  let clientResult: { ok: boolean; error?: Error; after?: string };
  if (clientSecret === null) {
    client.write(Buffer.alloc(68, 7)); // something that is not an answer to the challenge
    clientResult = { ok: false };
  } else {
    clientResult = await authenticateClient(client, Buffer.from(clientSecret), 2000).then(
      async () => {
        client.write('ping');
        const after = await new Promise<string>((r) => client.once('data', (d: Buffer) => r(d.toString())).resume());
        return { ok: true, after };
      },
      (error: Error) => ({ ok: false, error }),
    );
  }
  const serverResult = await serverSide;
  client.destroy();
  relay.close();
  server.close();
  return { server: serverResult, client: clientResult, wire: Buffer.concat(wire) };
}

test('both sides authenticate with the same secret, and the protocol after the handshake is untouched', async () => {
  const secret = 'correct horse battery staple';
  const r = await exchange(secret, secret);
  assert.equal(r.server.ok, true, r.server.error?.message);
  assert.equal(r.client.ok, true, r.client.error?.message);
  assert.equal(r.server.after, 'ping');
  assert.equal(r.client.after, 'pong');
  assert.equal(r.wire.indexOf(Buffer.from(secret)), -1, 'the secret itself never crosses the wire');
  assert.equal(r.wire.length, 36 + 68 + 32 + 'ping'.length + 'pong'.length);
});

test('a client with the wrong secret is refused by the server, and learns that it was', async () => {
  const r = await exchange('the driver secret', 'a guessed secret');
  assert.equal(r.server.ok, false);
  assert.ok(r.server.error instanceof AuthenticationError);
  assert.match(r.server.error.message, /does not know the shared secret/);
  assert.equal(r.client.ok, false);
  assert.match(r.client.error!.message, /closed the connection after our answer.*secrets differ/);
});

test('a peer that does not speak the handshake is refused', async () => {
  const r = await exchange('s3cret', null);
  assert.equal(r.server.ok, false);
  assert.match(r.server.error!.message, /does not speak the Sluice authentication handshake/);
});

test('two handshakes with the same secret put different bytes on the wire (fresh nonces: no replay)', async () => {
  const a = await exchange('same', 'same');
  const b = await exchange('same', 'same');
  assert.notDeepEqual(a.wire.subarray(0, 136), b.wire.subarray(0, 136));
});
