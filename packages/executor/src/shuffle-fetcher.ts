import { connect, type Socket } from 'node:net';
import { authenticateClient, RpcConnection, type ShuffleBlocks } from '@sluice/protocol';
import { FetchFailedError, type MapOutputLocation, type ShuffleOutputStore } from '@sluice/streaming/executor-support';

interface Pending {
  rpc: RpcConnection;
  resolve: (reply: { msg: ShuffleBlocks; trailer: Buffer }) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface Peer {
  socket: Socket;
  /** Set once the peer's block server and this executor authenticated each other. */
  rpc: RpcConnection | null;
  ready: Promise<void>;
}

/** Bytes a task read from this executor's own map outputs and from its peers'. */
export interface FetchStats {
  local: number;
  remote: number;
}

/**
 * Gets the buckets a reduce task reads: from this executor's own store when it wrote
 * them, otherwise from the block server of the executor that did, over one reused
 * connection per peer, all peers at once. Anything that stops a bucket from arriving
 * (peer gone, peer no longer keeps it, no answer within the timeout) is a FetchFailedError
 * naming the map output and the executor, which the driver answers by rerunning the
 * lost map tasks.
 */
export class ShuffleFetcher {
  private readonly peers = new Map<string, Peer>();
  private readonly pending = new Map<number, Pending>();
  private nextRequest = 1;

  constructor(
    private readonly executorId: string,
    private readonly store: ShuffleOutputStore,
    private readonly timeoutMs: number,
    private readonly secret: Uint8Array,
  ) {}

  /** Bucket `reducePartition` of every map output, in `maps` order. */
  async fetch(shuffleId: string, reducePartition: number, maps: MapOutputLocation[], stats: FetchStats): Promise<Uint8Array[]> {
    const out = new Array<Uint8Array>(maps.length);
    const byPeer = new Map<string, { executorId: string; indexes: number[] }>();
    maps.forEach((m, i) => {
      if (m.executorId === this.executorId) {
        const bucket = this.store.get(shuffleId, m.mapPartition, reducePartition);
        if (!bucket) throw new FetchFailedError(shuffleId, m.mapPartition, m.executorId, 'this executor no longer keeps it');
        stats.local += bucket.byteLength;
        out[i] = bucket;
        return;
      }
      let group = byPeer.get(m.address);
      if (!group) byPeer.set(m.address, (group = { executorId: m.executorId, indexes: [] }));
      group.indexes.push(i);
    });
    await Promise.all(
      [...byPeer].map(async ([address, { executorId, indexes }]) => {
        const mapPartitions = indexes.map((i) => maps[i]!.mapPartition);
        const fail = (reason: string) => new FetchFailedError(shuffleId, mapPartitions[0]!, executorId, reason);
        let reply: { msg: ShuffleBlocks; trailer: Buffer };
        try {
          reply = await this.request(address, { shuffleId, reducePartition, mapPartitions });
        } catch (err) {
          throw fail(`${(err as Error).message} (block server ${address})`);
        }
        if (reply.msg.error) throw fail(reply.msg.error);
        let pos = 0;
        indexes.forEach((i, k) => {
          const size = Number(reply.msg.sizes[k]);
          out[i] = reply.trailer.subarray(pos, pos + size);
          pos += size;
          stats.remote += size;
        });
      }),
    );
    return out;
  }

  close(): void {
    for (const p of this.peers.values()) p.socket.destroy();
    this.peers.clear();
  }

  private async request(
    address: string,
    req: { shuffleId: string; reducePartition: number; mapPartitions: number[] },
  ): Promise<{ msg: ShuffleBlocks; trailer: Buffer }> {
    const found = this.peer(address);
    await found.ready;
    const peer = { rpc: found.rpc! };
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(requestId, { rpc: peer.rpc, resolve, reject, timer });
      if (!peer.rpc.send({ fetchShuffleBlocks: { requestId, ...req } }) && !peer.rpc.isOpen) {
        clearTimeout(timer);
        this.pending.delete(requestId);
        reject(new Error('connection closed'));
      }
    });
  }

  private peer(address: string): Peer {
    const known = this.peers.get(address);
    if (known && !known.socket.destroyed) return known;
    const at = address.lastIndexOf(':');
    const socket = connect({ host: address.slice(0, at), port: Number(address.slice(at + 1)) });
    let opened!: () => void;
    let failed!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      opened = resolve;
      failed = reject;
    });
    const peer: Peer = { socket, rpc: null, ready };
    const onClose = (err?: Error) => {
      if (this.peers.get(address) === peer) this.peers.delete(address);
      const reason = err ? err.message : 'connection closed';
      failed(new Error(reason));
      // Requests on this connection cannot be answered any more.
      for (const [id, p] of this.pending) {
        if (p.rpc === peer.rpc) {
          this.pending.delete(id);
          clearTimeout(p.timer);
          p.reject(new Error(reason));
        }
      }
    };
    socket.once('error', (err) => {
      if (!peer.rpc) onClose(err);
    });
    socket.once('connect', () => {
      authenticateClient(socket, this.secret, this.timeoutMs).then(
        () => {
          peer.rpc = this.connection(socket, onClose);
          opened();
        },
        (err: Error) => {
          socket.destroy();
          onClose(err);
        },
      );
    });
    ready.catch(() => {});
    this.peers.set(address, peer);
    return peer;
  }

  private connection(socket: Socket, onClose: (err?: Error) => void): RpcConnection {
    return new RpcConnection(
      socket,
      (msg, trailer) => {
        const reply = msg.shuffleBlocks;
        if (!reply) return;
        const p = this.pending.get(Number(reply.requestId));
        if (!p) return;
        this.pending.delete(Number(reply.requestId));
        clearTimeout(p.timer);
        p.resolve({ msg: reply, trailer });
      },
      onClose,
    );
  }
}
