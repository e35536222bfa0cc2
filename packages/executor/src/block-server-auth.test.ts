import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FetchFailedError, ShuffleOutputStore } from '@sluice/streaming/internal';
import { BlockServer } from './block-server.js';
import { ShuffleFetcher } from './shuffle-fetcher.js';

/** A peer's block server holding map output 0 of shuffle s1 (two buckets), on loopback. */
async function peerServer(secret: string) {
  const store = new ShuffleOutputStore();
  store.put('s1', 0, [Buffer.from('bucket-0'), Buffer.from('bucket-1')]);
  const log: string[] = [];
  const server = new BlockServer(store, Buffer.from(secret), (l) => log.push(l));
  const { host, port } = await server.listen('127.0.0.1');
  return { server, log, address: `${host}:${port}` };
}

test('an executor that knows the secret fetches a peer’s shuffle bucket', async () => {
  const peer = await peerServer('app secret');
  const fetcher = new ShuffleFetcher('e2', new ShuffleOutputStore(), 5000, Buffer.from('app secret'));
  try {
    const stats = { local: 0, remote: 0 };
    const [bucket] = await fetcher.fetch('s1', 1, [{ mapPartition: 0, executorId: 'e1', address: peer.address }], stats);
    assert.equal(Buffer.from(bucket!).toString(), 'bucket-1');
    assert.equal(stats.remote, 'bucket-1'.length);
    assert.equal(peer.server.refusedConnections, 0);
  } finally {
    fetcher.close();
    peer.server.close();
  }
});

test('a block server refuses a fetch from whoever does not know the secret; the fetch fails as a fetch failure', async () => {
  const peer = await peerServer('app secret');
  const fetcher = new ShuffleFetcher('e2', new ShuffleOutputStore(), 5000, Buffer.from('another application'));
  try {
    await assert.rejects(
      fetcher.fetch('s1', 1, [{ mapPartition: 0, executorId: 'e1', address: peer.address }], { local: 0, remote: 0 }),
      (err: Error) => err instanceof FetchFailedError && /secrets differ/.test(err.message),
    );
    assert.equal(peer.server.refusedConnections, 1);
    assert.match(peer.log.join('\n'), /block server: refused a connection from 127\.0\.0\.1:\d+: the peer does not know the shared secret/);
  } finally {
    fetcher.close();
    peer.server.close();
  }
});
