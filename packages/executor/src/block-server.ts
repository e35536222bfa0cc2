import { createServer, type AddressInfo, type Server } from 'node:net';
import { authenticateServer, RpcConnection, type FetchShuffleBlocks } from '@sluice/protocol';
import type { ShuffleOutputStore } from '@sluice/streaming/executor-support';

/**
 * An executor's block server: peers connect to it to fetch the shuffle map outputs this
 * executor keeps (Spark's BlockTransferService). It speaks the driver/executor protocol
 * (FetchShuffleBlocks in, ShuffleBlocks out, bucket bytes in the trailer, written to the
 * socket as they are kept). It listens on the address the executor reaches the driver
 * from, which is the one its peers can reach.
 */
export class BlockServer {
  private server: Server | null = null;
  private readonly peers = new Set<RpcConnection>();
  /** Bytes of buckets served to peers, for metrics and tests. */
  bytesServed = 0;

  /** Connections dropped because they did not prove they know the application's secret. */
  refusedConnections = 0;

  constructor(
    private readonly store: ShuffleOutputStore,
    /** Peers prove they know the application's secret before they may fetch anything. */
    private readonly secret: Uint8Array,
    private readonly log: (line: string) => void = () => {},
  ) {}

  async listen(host: string): Promise<{ host: string; port: number }> {
    this.server = createServer((socket) => {
      socket.on('error', () => {}); // reported by the handshake or the connection
      const from = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
      authenticateServer(socket, this.secret).then(
        () => {
          const rpc: RpcConnection = new RpcConnection(
            socket,
            (msg) => {
              if (msg.fetchShuffleBlocks) this.serve(rpc, msg.fetchShuffleBlocks);
            },
            () => this.peers.delete(rpc),
          );
          this.peers.add(rpc);
        },
        (err: Error) => {
          this.refusedConnections++;
          this.log(`block server: refused a connection from ${from}: ${err.message}`);
          socket.destroy();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, host, () => resolve());
    });
    const a = this.server.address() as AddressInfo;
    return { host, port: a.port };
  }

  private serve(rpc: RpcConnection, req: FetchShuffleBlocks): void {
    const buckets: Uint8Array[] = [];
    for (const m of req.mapPartitions) {
      const bucket = this.store.get(req.shuffleId, m, req.reducePartition);
      if (!bucket) {
        rpc.send({
          shuffleBlocks: {
            requestId: req.requestId,
            error: `map output ${m} of shuffle ${req.shuffleId} (reduce partition ${req.reducePartition}) is not kept here`,
            sizes: [],
          },
        });
        return;
      }
      buckets.push(bucket);
    }
    for (const b of buckets) this.bytesServed += b.byteLength;
    rpc.send({ shuffleBlocks: { requestId: req.requestId, error: '', sizes: buckets.map((b) => b.byteLength) } }, buckets);
  }

  close(): void {
    for (const p of this.peers) p.socket.destroy();
    this.server?.close();
  }
}
