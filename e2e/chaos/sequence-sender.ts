import type { AddressInfo, Server, Socket } from 'node:net';
import { ResendingSource } from './resending-source.js';
import { sequenceLine } from './sequence-line.js';

/**
 * The chaos test's socket source: the sequence lines over TCP on 127.0.0.1 (`port` once
 * started), newline-terminated. The receiver acknowledges with `ACK <n>`: the first n
 * lines of this connection are stored for good.
 */
export class SequenceSender extends ResendingSource {
  port = 0;

  protected async listen(server: Server): Promise<void> {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.port = (server.address() as AddressInfo).port;
  }

  protected encode(from: number, to: number): string {
    const lines: string[] = [];
    for (let i = from; i < to; i++) lines.push(sequenceLine(i, this.keys));
    return `${lines.join('\n')}\n`;
  }

  protected readAcks(socket: Socket, first: number, acknowledged: (n: number) => void): void {
    let rest = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^ACK (\d+)$/.exec(line);
        if (m) acknowledged(first + Number(m[1]));
      }
    });
  }
}
