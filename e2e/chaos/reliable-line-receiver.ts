import { connect, type Socket } from 'node:net';
import { Receiver } from '@sluice/streaming';

/**
 * A receiver of text lines over TCP that acknowledges what it has stored for good: after
 * storeReliably resolves (the block is in the write-ahead log, fsynced) it writes
 * `ACK <lines>\n` back, the number of lines of this connection now safe. The sender keeps
 * every line not yet acknowledged and sends it again on the next connection, so nothing
 * is lost when the driver dies; lines stored but not yet acknowledged come twice
 * (at-least-once), which the chaos checker counts.
 */
export class ReliableLineReceiver extends Receiver<string> {
  private socket: Socket | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    super();
    this.name = `ReliableLineReceiver(${host}:${port})`;
  }

  onStart(): void {
    const socket = connect({ host: this.host, port: this.port });
    this.socket = socket;
    let rest = '';
    let received = 0;
    // Acknowledgements go out in order: each waits for the ones before it.
    let acked: Promise<void> = Promise.resolve();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const text = rest + chunk;
      const cut = text.lastIndexOf('\n');
      if (cut < 0) {
        rest = text;
        return;
      }
      rest = text.slice(cut + 1);
      const lines = text.slice(0, cut).split('\n');
      received += lines.length;
      const upTo = received;
      const stored = this.storeReliably(lines);
      acked = acked.then(() =>
        stored.then(
          () => {
            if (!socket.destroyed) socket.write(`ACK ${upTo}\n`);
          },
          (err: unknown) => this.restart('lines could not be stored', err),
        ),
      );
    });
    socket.on('error', (err) => this.restart(`connection to ${this.host}:${this.port} failed`, err, 500));
    socket.on('close', () => {
      if (!this.isStopped()) this.restart('the sender closed the connection', undefined, 500);
    });
  }

  onStop(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}
